"""Side-by-side speed (and memory) ratios, measured in one run.

    python tools/benchmark.py teacher [--arch ViT-B-16 RN50] [--size 224]

``teacher``: MaskCLIP ``dense_features`` against open_clip's own
``encode_image`` on the same input; the dense path must cost no more than
a plain forward (ratio <= 1.10). Timings alternate between the two and
report medians, so machine noise hits both alike.
"""
import argparse
import statistics
import time
from typing import Callable, Dict

import torch

from vlkd_seg.models import CLIPTeacher


def _median_times(fns: Dict[str, Callable], repeats: int,
                  warmup: int = 2) -> Dict[str, float]:
    """Median seconds per call of each function, calls interleaved."""
    times = {name: [] for name in fns}
    for i in range(warmup + repeats):
        for name, fn in fns.items():
            start = time.perf_counter()
            fn()
            if i >= warmup:
                times[name].append(time.perf_counter() - start)
    return {name: statistics.median(t) for name, t in times.items()}


def bench_teacher(args) -> None:
    print(f'{"arch":<10} {"size":>5} {"encode_image":>13} '
          f'{"dense_features":>15} {"ratio":>6}')
    for arch in args.arch:
        teacher = CLIPTeacher(arch, text_cache_dir='')
        x = torch.randn(args.batch, 3, args.size, args.size)
        with torch.no_grad():
            times = _median_times(
                dict(image=lambda: teacher.clip.encode_image(x),
                     dense=lambda: teacher.dense_features(x)), args.repeats)
        ratio = times['dense'] / times['image']
        print(f'{arch:<10} {args.size:>5} {times["image"] * 1e3:>10.1f} ms '
              f'{times["dense"] * 1e3:>12.1f} ms {ratio:>6.3f}')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest='command', required=True)
    teacher = sub.add_parser('teacher', help='dense_features vs encode_image')
    teacher.add_argument('--arch', nargs='+', default=['ViT-B-16', 'RN50'])
    teacher.add_argument('--size', type=int, default=224)
    teacher.add_argument('--batch', type=int, default=2)
    teacher.add_argument('--repeats', type=int, default=10)
    teacher.set_defaults(func=bench_teacher)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    torch.manual_seed(0)
    args.func(args)


if __name__ == '__main__':
    main()
