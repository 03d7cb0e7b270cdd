"""Timing and peak-memory helpers for benchmarks, on CPU or a GPU."""
import argparse
import gc
import json
import statistics
import subprocess
import sys
import time
from typing import Any, Callable, Dict

import torch


def synchronize(device: torch.device) -> None:
    """Wait for the work queued on ``device`` (a no-op off CUDA)."""
    if device.type == 'cuda':
        torch.cuda.synchronize(device)


def median_times(
    fns: Dict[str, Callable],
    repeats: int,
    warmup: int = 2,
    device: torch.device = torch.device('cpu')
) -> Dict[str, float]:
    """Median seconds per call of each function, calls interleaved.

    Interleaving makes machine noise hit every function alike; GPU work is
    waited for before a clock is read.

    Args:
        fns (dict[str, Callable]): Functions to time, by name.
        repeats (int): Timed calls of each function.
        warmup (int): Untimed calls of each function first.
        device (torch.device): Device the functions run on.

    Returns:
        dict[str, float]: Median seconds per call, by name.
    """
    times = {name: [] for name in fns}
    for i in range(warmup + repeats):
        for name, fn in fns.items():
            synchronize(device)
            start = time.perf_counter()
            fn()
            synchronize(device)
            if i >= warmup:
                times[name].append(time.perf_counter() - start)
    return {name: statistics.median(t) for name, t in times.items()}


def _status_kb(field: str) -> int:
    """A ``VmRSS``-like field of ``/proc/self/status``, in KiB."""
    with open('/proc/self/status') as f:
        return next(
            int(line.split()[1]) for line in f if line.startswith(field + ':'))


def peak_memory_mb(fn: Callable,
                   device: torch.device,
                   repeats: int = 2) -> float:
    """Peak memory of ``fn`` above what is resident before it runs.

    ``fn`` is called once first (lazily initialised buffers), then
    ``repeats`` times under measurement: ``torch.cuda.max_memory_allocated``
    on a GPU, the reset RSS high-water mark (Linux) on CPU. Run it in a
    fresh process: on CPU, anything else of the process counts as well.

    Args:
        fn (Callable): Work to measure.
        device (torch.device): Device ``fn`` runs on.
        repeats (int): Measured calls.

    Returns:
        float: Peak MiB above the resident baseline.
    """
    fn()
    gc.collect()
    cuda = device.type == 'cuda'
    if cuda:
        torch.cuda.synchronize(device)
        torch.cuda.reset_peak_memory_stats(device)
        base = torch.cuda.memory_allocated(device)
    else:
        with open('/proc/self/clear_refs', 'w') as f:
            f.write('5')  # reset the peak-RSS high-water mark
        base = _status_kb('VmRSS') * 1024
    for _ in range(repeats):
        fn()
    synchronize(device)
    peak = (
        torch.cuda.max_memory_allocated(device)
        if cuda else _status_kb('VmHWM') * 1024)
    return (peak - base) / 2**20


def _device(name: str) -> torch.device:
    from .errors import ConfigError
    from .launch import torch_device
    try:
        return torch_device(name)
    except ConfigError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def add_device_argument(parser: argparse.ArgumentParser) -> None:
    """Add ``--device cuda|cpu`` (default: cuda when a GPU is visible); a
    CUDA device on a machine without one is a usage error."""
    parser.add_argument(
        '--device',
        type=_device,
        default='cuda' if torch.cuda.is_available() else 'cpu',
        help='cuda or cpu (default: cuda when a GPU is visible)')


def json_from_process(*argv) -> Any:
    """Run ``python *argv`` in a fresh process; the JSON of its last line.

    Args:
        *argv: Script and arguments (anything ``str`` turns into one).

    Returns:
        The value of the last line the process printed to stdout.
    """
    out = subprocess.run([sys.executable, *map(str, argv)],
                         capture_output=True,
                         text=True,
                         check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])
