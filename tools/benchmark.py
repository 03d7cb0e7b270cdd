"""Side-by-side speed (and memory) ratios, measured in one run.

    python tools/benchmark.py teacher [--arch ViT-B-16 RN50] [--size 224]
    python tools/benchmark.py distill [--arch ViT-B-16 RN50] [--size 256]
    python tools/benchmark.py classify [--arch ViT-B-16 RN50] [--size 224]

Every command takes ``--device cuda|cpu`` (default: cuda when a GPU is
visible); on a GPU, timings synchronise the device and memory is
``torch.cuda.max_memory_allocated``.

``teacher``: MaskCLIP ``dense_features`` against open_clip's own
``encode_image`` on the same input; the dense path must cost no more than
a plain forward (ratio <= 1.10).

``distill``: for one DeepLabV3+-R50 text student and one input, the
student-only training step, the teacher's dense forward, the distillation
step (teacher phase) and the self-training step, with peak memory of each
(a fresh process per variant: the peak above the resident models, from
the reset RSS high-water mark on CPU or max allocated on GPU). The
overhead of distillation is ``distill / (student + teacher)``; the whole
MaskCLIP+ schedule (teacher for the first 10%) costs
``(0.1 * distill + 0.9 * self) / student`` of student-only training.

``classify``: the image-level recipe (ResNet-18 student, CUB split) per
training step: the student alone (L_cls), the full step with cached
teacher features (L_cls + L_im-cst + L_vlprox) and the teacher's image
forward that caching takes out of every step. ``cached / student`` is the
price of the distillation losses; ``(student + teacher) / cached`` what an
online teacher would cost instead.

Timings alternate between the variants and report medians, so machine
noise hits all alike. Weights are random: speed does not depend on them.
"""
import argparse
import copy
import gc
import json
import os.path as osp
import statistics
import subprocess
import sys
import time
from typing import Callable, Dict

import torch

from vlkd_seg.models import CLIPTeacher
from vlkd_seg.models.teachers import clip_input_size


def _sync(device: torch.device) -> None:
    if device.type == 'cuda':
        torch.cuda.synchronize(device)


def _median_times(
    fns: Dict[str, Callable],
    repeats: int,
    warmup: int = 2,
    device: torch.device = torch.device('cpu')
) -> Dict[str, float]:
    """Median seconds per call of each function, calls interleaved; GPU
    work is waited for before a clock is read."""
    times = {name: [] for name in fns}
    for i in range(warmup + repeats):
        for name, fn in fns.items():
            _sync(device)
            start = time.perf_counter()
            fn()
            _sync(device)
            if i >= warmup:
                times[name].append(time.perf_counter() - start)
    return {name: statistics.median(t) for name, t in times.items()}


def bench_teacher(args) -> None:
    print(f'{"arch":<10} {"size":>5} {"encode_image":>13} '
          f'{"dense_features":>15} {"ratio":>6}')
    for arch in args.arch:
        teacher = CLIPTeacher(arch, text_cache_dir='').to(args.device)
        x = torch.randn(
            args.batch, 3, args.size, args.size, device=args.device)
        with torch.no_grad():
            times = _median_times(
                dict(
                    image=lambda: teacher.clip.encode_image(x),
                    dense=lambda: teacher.dense_features(x)),
                args.repeats,
                device=args.device)
        ratio = times['dense'] / times['image']
        print(f'{arch:<10} {args.size:>5} {times["image"] * 1e3:>10.1f} ms '
              f'{times["dense"] * 1e3:>12.1f} ms {ratio:>6.3f}')


def _distiller(arch: str, size: int):
    """A ViT-B/16 or RN50 MaskCLIP+ distiller around DeepLabV3+-R50."""
    from mmengine.config import Config
    from mmengine.registry import init_default_scope
    from mmseg.registry import MODELS

    from vlkd_seg.utils import replace_sync_bn
    init_default_scope('mmseg')
    cfg = Config.fromfile(
        osp.join(
            osp.dirname(osp.abspath(__file__)), '..', 'configs', 'kd',
            'maskclip_plus_coco-stuff164k.py'))
    model = replace_sync_bn(cfg.model)
    model.student.backbone.init_cfg = None
    model.teacher.update(
        model_name=arch,
        checkpoint=None,
        text_cache_dir='',
        templates='single')
    model.student.decode_head.embed_dim = 512 if arch == 'ViT-B-16' else 1024
    model.data_preprocessor.size = (size, size)
    model.self_train_start = 10**9
    return MODELS.build(model)


def _distill_steps(arch: str,
                   size: int,
                   batch: int,
                   device: str = 'cpu') -> Dict[str, Callable]:
    """One callable per benchmark variant, on the same model and input."""
    from mmengine.logging import MessageHub
    from mmengine.structures import PixelData
    from mmseg.structures import SegDataSample

    from vlkd_seg.datasets import UNLABELED_INDEX
    model = _distiller(arch, size).to(device).train()
    inputs = torch.randn(batch, 3, size, size, device=device)
    labels = torch.randint(0, 171, (batch, 1, size, size), device=device)
    unseen = torch.tensor(model.unseen_idx, device=device)
    labels[torch.isin(labels, unseen)] = UNLABELED_INDEX
    samples = []
    for label in labels:
        sample = SegDataSample(
            metainfo=dict(img_shape=(size, size), pad_shape=(size, size)))
        sample.gt_sem_seg = PixelData(data=label)
        samples.append(sample)
    plain = copy.deepcopy(samples)
    for sample in plain:
        sample.gt_sem_seg.data[sample.gt_sem_seg.data == UNLABELED_INDEX] = 255
    optimizer = torch.optim.SGD(model.student.parameters(), lr=1e-4)
    hub = MessageHub.get_current_instance()

    def step(loss_fn, batch_samples, it=0):
        hub.update_info('iter', it)
        losses = loss_fn(inputs, copy.deepcopy(batch_samples))
        total = sum(v for k, v in losses.items() if 'loss' in k)
        optimizer.zero_grad()
        total.backward()
        optimizer.step()

    return dict(
        student=lambda: step(model.student.loss, plain),
        teacher=lambda: model._teacher_features(inputs),
        distill=lambda: step(model.loss, samples, 0),
        self=lambda: step(model.loss, samples, 10**9))


def _peak_memory_mb(arch, variant, size, batch, device) -> float:
    """Peak memory of one variant, measured in a fresh process."""
    out = subprocess.run([
        sys.executable, __file__, 'distill-worker', '--arch', arch,
        '--variant', variant, '--size',
        str(size), '--batch',
        str(batch), '--device',
        str(device)
    ],
                         capture_output=True,
                         text=True,
                         check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])['peak_mb']


def bench_distill(args) -> None:
    names = ('student', 'teacher', 'distill', 'self')
    for arch in args.arch:
        fns = _distill_steps(arch, args.size, args.batch, args.device)
        times = _median_times(fns, args.repeats, warmup=1, device=args.device)
        peaks = {
            v: _peak_memory_mb(arch, v, args.size, args.batch, args.device)
            for v in names
        }
        print(f'\n{arch} teacher, DeepLabV3+-R50 student, {args.batch}x3x'
              f'{args.size}x{args.size} on {args.device}:')
        for v in names:
            print(
                f'  {v:<8} step {times[v]:7.3f} s   peak +{peaks[v]:6.0f} MB')
        floor = times['student'] + times['teacher']
        print(f'  teacher share of a student step: '
              f'{times["teacher"] / times["student"]:.3f}')
        print(
            f'  distill / (student + teacher): {times["distill"] / floor:.3f}'
            ' (goal <= 1.05)')
        schedule = (0.1 * times['distill'] + 0.9 * times['self']) / \
            times['student']
        print(f'  MaskCLIP+ schedule / student-only: {schedule:.3f} '
              '(goal <= 1.05)')


def _classify_steps(arch: str,
                    size: int,
                    batch: int,
                    device: str = 'cpu') -> Dict[str, Callable]:
    """Student-only, cached-teacher and teacher-forward callables."""
    from mmengine.config import Config
    from mmengine.registry import init_default_scope
    from mmpretrain.registry import MODELS
    from mmpretrain.structures import DataSample

    from vlkd_seg.classification import clip_classification_loss
    init_default_scope('mmpretrain')
    cfg = Config.fromfile(
        osp.join(
            osp.dirname(osp.abspath(__file__)), '..', 'configs', 'vlkd_cls',
            'vlkd-cls_r18_vit-b16_cub.py'))
    cfg.model.teacher.update(
        model_name=arch, checkpoint=None, text_cache_dir='')
    model = MODELS.build(cfg.model).to(device).train()
    inputs = torch.randn(batch, 3, size, size, device=device)
    samples = [
        DataSample(metainfo=dict(sample_idx=i)).set_gt_label(i % 100)
        for i in range(batch)
    ]
    model.set_teacher_features('train', torch.randn(batch,
                                                    model.text.shape[1]))
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-4)
    id_text = model.text[model.split.id_classes]
    labels = torch.arange(batch, device=device) % 100

    def step(loss_fn):
        losses = loss_fn()
        optimizer.zero_grad()
        sum(losses.values()).backward()
        optimizer.step()

    def student():
        return dict(
            loss=clip_classification_loss(
                model.extract_feat(inputs), id_text, labels))

    size_t = clip_input_size(model.teacher.clip)
    return dict(
        student=lambda: step(student),
        cached=lambda: step(lambda: model.loss(inputs, samples)),
        teacher=lambda: model.teacher.encode_image(
            torch.randn(batch, 3, size_t, size_t, device=device)))


def bench_classify(args) -> None:
    for arch in args.arch:
        times = _median_times(
            _classify_steps(arch, args.size, args.batch, args.device),
            args.repeats,
            warmup=1,
            device=args.device)
        print(f'\n{arch} teacher, ResNet-18 student, {args.batch}x3x'
              f'{args.size}x{args.size} on {args.device}:')
        for name, value in times.items():
            print(f'  {name:<8} {value:7.3f} s')
        print(f'  cached / student: {times["cached"] / times["student"]:.3f}'
              ' (goal <= 1.05)')
        online = (times['student'] + times['teacher']) / times['cached']
        print(f'  online teacher / cached: {online:.3f}')


def _rss_kb(field: str) -> int:
    with open('/proc/self/status') as f:
        return next(
            int(line.split()[1]) for line in f if line.startswith(field + ':'))


def distill_worker(args) -> None:
    """Peak memory above the built models while running one variant."""
    fn = _distill_steps(args.arch[0], args.size, args.batch,
                        args.device)[args.variant]
    fn()  # first call allocates lazily initialised buffers
    gc.collect()
    cuda = args.device.type == 'cuda'
    if cuda:
        torch.cuda.synchronize(args.device)
        torch.cuda.reset_peak_memory_stats(args.device)
        base = torch.cuda.memory_allocated(args.device)
    else:
        with open('/proc/self/clear_refs', 'w') as f:
            f.write('5')  # reset the peak-RSS high-water mark
        base = _rss_kb('VmRSS') * 1024
    for _ in range(2):
        fn()
    _sync(args.device)
    peak = (
        torch.cuda.max_memory_allocated(args.device)
        if cuda else _rss_kb('VmHWM') * 1024)
    print(json.dumps(dict(peak_mb=(peak - base) / 2**20)))


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest='command', required=True)
    teacher = sub.add_parser('teacher', help='dense_features vs encode_image')
    teacher.add_argument('--arch', nargs='+', default=['ViT-B-16', 'RN50'])
    teacher.add_argument('--size', type=int, default=224)
    teacher.add_argument('--batch', type=int, default=2)
    teacher.add_argument('--repeats', type=int, default=10)
    teacher.set_defaults(func=bench_teacher)
    distill = sub.add_parser('distill', help='distillation step costs')
    distill.add_argument('--arch', nargs='+', default=['ViT-B-16', 'RN50'])
    distill.add_argument('--size', type=int, default=256)
    distill.add_argument('--batch', type=int, default=2)
    distill.add_argument('--repeats', type=int, default=5)
    distill.set_defaults(func=bench_distill)
    classify = sub.add_parser(
        'classify', help='image-level recipe: cached vs online teacher')
    classify.add_argument('--arch', nargs='+', default=['ViT-B-16', 'RN50'])
    classify.add_argument('--size', type=int, default=224)
    classify.add_argument('--batch', type=int, default=8)
    classify.add_argument('--repeats', type=int, default=5)
    classify.set_defaults(func=bench_classify)
    worker = sub.add_parser('distill-worker')
    worker.add_argument('--arch', nargs=1, required=True)
    worker.add_argument(
        '--variant',
        required=True,
        choices=['student', 'teacher', 'distill', 'self'])
    worker.add_argument('--size', type=int, default=256)
    worker.add_argument('--batch', type=int, default=2)
    worker.set_defaults(func=distill_worker)
    for command in (teacher, distill, classify, worker):
        command.add_argument(
            '--device',
            type=_device,
            default='cuda' if torch.cuda.is_available() else 'cpu',
            help='cuda or cpu (default: cuda when a GPU is visible)')
    return parser.parse_args(argv)


def _device(name: str) -> torch.device:
    device = torch.device(name)
    if device.type == 'cuda' and not torch.cuda.is_available():
        raise argparse.ArgumentTypeError(
            'no CUDA device is visible here; use --device cpu')
    return device


def main(argv=None):
    args = parse_args(argv)
    torch.manual_seed(0)
    args.func(args)


if __name__ == '__main__':
    main()
