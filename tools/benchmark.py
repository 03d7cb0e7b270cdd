"""Side-by-side speed (and memory) ratios, measured in one run.

    python tools/benchmark.py teacher [--arch ViT-B-16 RN50] [--size 224]
    python tools/benchmark.py distill [--arch ViT-B-16 RN50] [--size 256]
    python tools/benchmark.py classify [--arch ViT-B-16 RN50] [--size 224]
    python tools/benchmark.py zegclip [--size 256]
    python tools/benchmark.py clipseg [--size 352]
    python tools/benchmark.py checkpoint [--arch RN50]

``teacher``: MaskCLIP ``dense_features`` against open_clip's own
``encode_image`` (goal: ratio <= 1.10). ``distill``: the MaskCLIP+ steps
(distillation, self-training) against a DeepLabV3+-R50 student's step
alone, with peak memory (a fresh process per variant). ``classify``: the
image-level recipe's step with cached teacher features against the
student alone and the teacher forward that caching saves. ``zegclip``:
inductive ZegCLIP's training step and inference against the MaskCLIP+
DeepLabV3+-R50 student's (ViT-B/16 CLIP). ``clipseg``: prompts per second
with 1 and 20 prompts per image (the image tower once per image) and with
the tower run again for each prompt. ``checkpoint``: saving the MaskCLIP+
student's checkpoint with the random state a resume restores against
without it (size and time).

Every command takes ``--device cuda|cpu`` (default: cuda when a GPU is
visible). Timings alternate between the variants and report medians;
weights are random. README, "Measured speed", explains the ratios.
"""
import argparse
import json

import torch

from vlkd_seg.demo.benchmark_steps import (checkpoint_steps, classify_steps,
                                           clipseg_steps, distill_steps,
                                           zegclip_steps)
from vlkd_seg.models import CLIPTeacher
from vlkd_seg.utils.benchmark import (add_device_argument, json_from_process,
                                      median_times, peak_memory_mb)
from vlkd_seg.utils.cli import at_least, user_errors

ARCHS = ['ViT-B-16', 'RN50']
VARIANTS = ('student', 'teacher', 'distill', 'self')


def bench_teacher(args) -> None:
    print(f'{"arch":<10} {"size":>5} {"encode_image":>13} '
          f'{"dense_features":>15} {"ratio":>6}')
    for arch in args.arch:
        teacher = CLIPTeacher(arch, text_cache_dir='').to(args.device)
        x = torch.randn(
            args.batch, 3, args.size, args.size, device=args.device)
        fns = dict(
            image=lambda: teacher.clip.encode_image(x),
            dense=lambda: teacher.dense_features(x))
        with torch.no_grad():
            times = median_times(fns, args.repeats, device=args.device)
        ratio = times['dense'] / times['image']
        print(f'{arch:<10} {args.size:>5} {times["image"] * 1e3:>10.1f} ms '
              f'{times["dense"] * 1e3:>12.1f} ms {ratio:>6.3f}')


def _peak_memory_mb(arch: str, variant: str, args) -> float:
    """Peak memory of one variant, measured in a fresh process."""
    return json_from_process(__file__, 'distill-worker', '--arch', arch,
                             '--variant', variant, '--size', args.size,
                             '--batch', args.batch, '--device',
                             args.device)['peak_mb']


def _header(args, what: str) -> None:
    print(f'\n{what}, {args.batch}x3x{args.size}x{args.size} on '
          f'{args.device}:')


def _ratio(name: str, value: float, goal: float = None) -> None:
    """Print one ratio line, with its goal if it has one."""
    print(f'  {name}: {value:.3f}' + (f' (goal <= {goal})' if goal else ''))


def bench_distill(args) -> None:
    for arch in args.arch:
        fns = distill_steps(arch, args.size, args.batch, args.device)
        times = median_times(fns, args.repeats, warmup=1, device=args.device)
        peaks = {v: _peak_memory_mb(arch, v, args) for v in VARIANTS}
        _header(args, f'{arch} teacher, DeepLabV3+-R50 student')
        for v in VARIANTS:
            print(
                f'  {v:<8} step {times[v]:7.3f} s   peak +{peaks[v]:6.0f} MB')
        student, distill = times['student'], times['distill']
        _ratio('teacher share of a student step', times['teacher'] / student)
        _ratio('distill / (student + teacher)',
               distill / (student + times['teacher']), 1.05)
        _ratio('MaskCLIP+ schedule / student-only',
               (0.1 * distill + 0.9 * times['self']) / student, 1.05)


def bench_classify(args) -> None:
    for arch in args.arch:
        fns = classify_steps(arch, args.size, args.batch, args.device)
        times = median_times(fns, args.repeats, warmup=1, device=args.device)
        _header(args, f'{arch} teacher, ResNet-18 student')
        for name, value in times.items():
            print(f'  {name:<8} {value:7.3f} s')
        _ratio('cached / student', times['cached'] / times['student'], 1.05)
        _ratio('online teacher / cached',
               (times['student'] + times['teacher']) / times['cached'])


def bench_zegclip(args) -> None:
    fns = zegclip_steps('ViT-B-16', args.size, args.batch, args.device)
    times = median_times(fns, args.repeats, warmup=1, device=args.device)
    _header(args, 'ZegCLIP (ViT-B/16) vs the MaskCLIP+ DeepLabV3+-R50 student')
    for name, value in times.items():
        print(f'  {name:<14} {value / args.batch:7.3f} s per image')
    _ratio('ZegCLIP / student training step',
           times['zegclip_step'] / times['student_step'])
    _ratio('ZegCLIP / student inference',
           times['zegclip_infer'] / times['student_infer'])


def bench_clipseg(args) -> None:
    fns = clipseg_steps('ViT-B-16', args.size, args.batch, args.device)
    times = median_times(fns, args.repeats, warmup=1, device=args.device)
    _header(args, 'CLIPSeg (ViT-B/16, the release decoder)')
    images = args.batch
    for name, prompts in (('prompts_1', 1), ('prompts_20', 20),
                          ('one_by_one_20', 20)):
        rate = prompts * images / times[name]
        print(f'  {name:<14} {times[name]:7.3f} s   {rate:7.1f} prompts/s')
    _ratio('20 prompts / 1 prompt (time)',
           times['prompts_20'] / times['prompts_1'])
    _ratio('one image pass per prompt / one per image (time, 20 prompts)',
           times['one_by_one_20'] / times['prompts_20'])


def bench_checkpoint(args) -> None:
    fns, sizes = checkpoint_steps(args.arch[0], args.size)
    times = median_times(fns, args.repeats, warmup=1, device=args.device)
    _header(args, 'checkpoint of the MaskCLIP+ student, with the random state')
    for name in fns:
        print(f'  {name:<14} {times[name]:7.3f} s   {sizes[name]:,} bytes')
    _ratio('with / without the random state (size)',
           sizes['random_state'] / sizes['plain'])
    _ratio('with / without the random state (time)',
           times['random_state'] / times['plain'])


def distill_worker(args) -> None:
    """Peak memory above the built models while running one variant."""
    fn = distill_steps(args.arch[0], args.size, args.batch,
                       args.device)[args.variant]
    print(json.dumps(dict(peak_mb=peak_memory_mb(fn, args.device))))


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest='command', required=True)
    # name: help, function, default size, batch and repeats
    benchmarks = dict(
        teacher=('dense_features vs encode_image', bench_teacher, 224, 2, 10),
        distill=('distillation step costs', bench_distill, 256, 2, 5),
        classify=('image-level recipe: cached vs online teacher',
                  bench_classify, 224, 8, 5),
        zegclip=('ZegCLIP vs the MaskCLIP+ student: step and inference',
                 bench_zegclip, 256, 2, 5),
        clipseg=('CLIPSeg prompts per second, 1 and 20 per image',
                 bench_clipseg, 352, 1, 5),
        checkpoint=('checkpoint size and time with the random state',
                    bench_checkpoint, 256, 1, 5))
    for name, (text, func, size, batch, repeats) in benchmarks.items():
        command = sub.add_parser(name, help=text)
        command.add_argument('--arch', nargs='+', default=ARCHS)
        command.add_argument('--size', type=at_least(32), default=size)
        command.add_argument('--batch', type=at_least(1), default=batch)
        command.add_argument('--repeats', type=at_least(1), default=repeats)
        command.set_defaults(func=func)
    worker = sub.add_parser('distill-worker')
    worker.add_argument('--arch', nargs=1, required=True)
    worker.add_argument('--variant', required=True, choices=VARIANTS)
    worker.add_argument('--size', type=at_least(32), default=256)
    worker.add_argument('--batch', type=at_least(1), default=2)
    worker.set_defaults(func=distill_worker)
    for command in sub.choices.values():
        add_device_argument(command)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    torch.manual_seed(0)
    args.func(args)


if __name__ == '__main__':
    with user_errors():
        main()
