"""Side-by-side speed (and memory) ratios, measured in one run.

    python tools/benchmark.py teacher [--arch ViT-B-16 RN50] [--size 224]
    python tools/benchmark.py distill [--arch ViT-B-16 RN50] [--size 256]
    python tools/benchmark.py classify [--arch ViT-B-16 RN50] [--size 224]

``teacher``: MaskCLIP ``dense_features`` against open_clip's own
``encode_image`` (goal: ratio <= 1.10). ``distill``: the MaskCLIP+ steps
(distillation, self-training) against a DeepLabV3+-R50 student's step
alone, with peak memory (a fresh process per variant). ``classify``: the
image-level recipe's step with cached teacher features against the
student alone and the teacher forward that caching saves.

Every command takes ``--device cuda|cpu`` (default: cuda when a GPU is
visible). Timings alternate between the variants and report medians;
weights are random. README, "Measured speed", explains the ratios.
"""
import argparse
import copy
import json
import os.path as osp
from typing import Callable, Dict

import torch

from vlkd_seg.models import CLIPTeacher
from vlkd_seg.models.teachers import clip_input_size
from vlkd_seg.utils import load_config
from vlkd_seg.utils.benchmark import (add_device_argument, json_from_process,
                                      median_times, peak_memory_mb)

CONFIGS = osp.join(osp.dirname(osp.abspath(__file__)), '..', 'configs')
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


def _model_cfg(scope: str, config: str, arch: str):
    """The model of a recipe under ``configs/`` with a random-weight
    ``arch`` CLIP teacher, built in the registry scope ``scope``."""
    from mmengine.registry import init_default_scope
    init_default_scope(scope)
    model = load_config(osp.join(CONFIGS, config)).model
    model.teacher.update(model_name=arch, checkpoint=None, text_cache_dir='')
    return model


def _distiller(arch: str, size: int):
    """A ViT-B/16 or RN50 MaskCLIP+ distiller around DeepLabV3+-R50."""
    from mmseg.registry import MODELS

    from vlkd_seg.utils import replace_sync_bn
    recipe = ('kd/maskclip-plus_vit-b16_deeplabv3plus-r50_512x512_80k_'
              'coco-stuff164k.py')
    model = replace_sync_bn(_model_cfg('mmseg', recipe, arch))
    model.student.backbone.init_cfg, model.teacher.templates = None, 'single'
    model.student.embed_dim = model.student.decode_head.num_classes = (
        512 if arch == 'ViT-B-16' else 1024)
    model.data_preprocessor.size = (size, size)
    model.labellers[1].start = 10**9  # self-training: the 'self' variant
    return MODELS.build(model)


def _sgd_step(optimizer: torch.optim.Optimizer, losses: Dict) -> None:
    """Back-propagate the sum of the ``loss`` terms and step."""
    optimizer.zero_grad()
    sum(v for k, v in losses.items() if 'loss' in k).backward()
    optimizer.step()


def _seg_samples(labels: torch.Tensor) -> list:
    """One SegDataSample per ``(1, H, W)`` label map."""
    from mmengine.structures import PixelData
    from mmseg.structures import SegDataSample
    shape = tuple(labels.shape[-2:])
    return [
        SegDataSample(
            metainfo=dict(img_shape=shape, pad_shape=shape),
            gt_sem_seg=PixelData(data=label)) for label in labels
    ]


def _distill_steps(arch: str,
                   size: int,
                   batch: int,
                   device: str = 'cpu') -> Dict[str, Callable]:
    """One callable per benchmark variant, on the same model and input."""
    from vlkd_seg.datasets import UNLABELED_INDEX
    model = _distiller(arch, size).to(device).train()
    inputs = torch.randn(batch, 3, size, size, device=device)
    labels = torch.randint(0, 171, (batch, 1, size, size), device=device)
    unseen = torch.tensor(model.unseen_idx, device=device)
    labels[torch.isin(labels, unseen)] = UNLABELED_INDEX
    samples = _seg_samples(labels)
    plain = _seg_samples(labels.masked_fill(labels == UNLABELED_INDEX, 255))
    optimizer = torch.optim.SGD(model.student.parameters(), lr=1e-4)

    def step(loss_fn, batch_samples, it=0):
        model.set_train_iter(it)
        _sgd_step(optimizer, loss_fn(inputs, copy.deepcopy(batch_samples)))

    return dict(
        student=lambda: step(model.student.loss, plain),
        teacher=lambda: model.teacher_features(inputs),
        distill=lambda: step(model.loss, samples, 0),
        self=lambda: step(model.loss, samples, 10**9))


def _peak_memory_mb(arch: str, variant: str, args) -> float:
    """Peak memory of one variant, measured in a fresh process."""
    return json_from_process(__file__, 'distill-worker', '--arch', arch,
                             '--variant', variant, '--size', args.size,
                             '--batch', args.batch, '--device',
                             args.device)['peak_mb']


def _header(args, arch: str, student: str) -> None:
    print(f'\n{arch} teacher, {student} student, {args.batch}x3x'
          f'{args.size}x{args.size} on {args.device}:')


def _ratio(name: str, value: float, goal: float = None) -> None:
    """Print one ratio line, with its goal if it has one."""
    print(f'  {name}: {value:.3f}' + (f' (goal <= {goal})' if goal else ''))


def bench_distill(args) -> None:
    for arch in args.arch:
        fns = _distill_steps(arch, args.size, args.batch, args.device)
        times = median_times(fns, args.repeats, warmup=1, device=args.device)
        peaks = {v: _peak_memory_mb(arch, v, args) for v in VARIANTS}
        _header(args, arch, 'DeepLabV3+-R50')
        for v in VARIANTS:
            print(
                f'  {v:<8} step {times[v]:7.3f} s   peak +{peaks[v]:6.0f} MB')
        student, distill = times['student'], times['distill']
        _ratio('teacher share of a student step', times['teacher'] / student)
        _ratio('distill / (student + teacher)',
               distill / (student + times['teacher']), 1.05)
        _ratio('MaskCLIP+ schedule / student-only',
               (0.1 * distill + 0.9 * times['self']) / student, 1.05)


def _classify_steps(arch: str,
                    size: int,
                    batch: int,
                    device: str = 'cpu') -> Dict[str, Callable]:
    """Student-only, cached-teacher and teacher-forward callables."""
    from mmpretrain.registry import MODELS
    from mmpretrain.structures import DataSample

    from vlkd_seg.classification import clip_classification_loss
    model = MODELS.build(
        _model_cfg('mmpretrain', 'vlkd_cls/vlkd-cls_r18_vit-b16_cub.py',
                   arch)).to(device).train()
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

    def student():
        feats = model.extract_feat(inputs)
        return dict(loss=clip_classification_loss(feats, id_text, labels))

    size_t = clip_input_size(model.teacher.clip)
    return dict(
        student=lambda: _sgd_step(optimizer, student()),
        cached=lambda: _sgd_step(optimizer, model.loss(inputs, samples)),
        teacher=lambda: model.teacher.encode_image(
            torch.randn(batch, 3, size_t, size_t, device=device)))


def bench_classify(args) -> None:
    for arch in args.arch:
        fns = _classify_steps(arch, args.size, args.batch, args.device)
        times = median_times(fns, args.repeats, warmup=1, device=args.device)
        _header(args, arch, 'ResNet-18')
        for name, value in times.items():
            print(f'  {name:<8} {value:7.3f} s')
        _ratio('cached / student', times['cached'] / times['student'], 1.05)
        _ratio('online teacher / cached',
               (times['student'] + times['teacher']) / times['cached'])


def distill_worker(args) -> None:
    """Peak memory above the built models while running one variant."""
    fn = _distill_steps(args.arch[0], args.size, args.batch,
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
                  bench_classify, 224, 8, 5))
    for name, (text, func, size, batch, repeats) in benchmarks.items():
        command = sub.add_parser(name, help=text)
        command.add_argument('--arch', nargs='+', default=ARCHS)
        command.add_argument('--size', type=int, default=size)
        command.add_argument('--batch', type=int, default=batch)
        command.add_argument('--repeats', type=int, default=repeats)
        command.set_defaults(func=func)
    worker = sub.add_parser('distill-worker')
    worker.add_argument('--arch', nargs=1, required=True)
    worker.add_argument('--variant', required=True, choices=VARIANTS)
    worker.add_argument('--size', type=int, default=256)
    worker.add_argument('--batch', type=int, default=2)
    worker.set_defaults(func=distill_worker)
    for command in sub.choices.values():
        add_device_argument(command)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    torch.manual_seed(0)
    args.func(args)


if __name__ == '__main__':
    main()
