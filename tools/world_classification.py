"""Image-level VL distillation on the synthetic world: L_cls alone vs
L_cls + L_im-cst + L_vlprox (ID and zero-shot OOD accuracy, M_rel,
M_neigh, M_vlalign), both trained from their configs by the mmengine
runner.

    python tools/world_classification.py [--iters 1500] [--seeds 0 1 2]

Writes the single-object scenes and uses the world CLIP teacher of
``make demo`` (each made once and cached).
"""
import argparse
import json
import os.path as osp

import numpy as np
from mmengine.runner import Runner

from vlkd_seg.datasets import generate_world, generate_world_objects
from vlkd_seg.demo import (WORLD_CLIP_CONFIG, ensure_world_clip,
                           world_clip_checkpoint, world_objects_root,
                           world_root, world_run_config)
from vlkd_seg.utils.io import cache_root

CONFIGS = osp.join(osp.dirname(osp.abspath(__file__)), '..', 'configs')
RECIPES = {
    'L_cls': 'vlkd-cls_r18-tiny_synthetic-world_cls-only.py',
    'L_cls + L_im-cst + L_vlprox': 'vlkd-cls_r18-tiny_synthetic-world.py',
}
METRICS = ('id_acc', 'ood_acc', 'teacher_ood_acc', 'M_rel', 'M_neigh@3',
           'M_neigh@5', 'M_neigh@10', 'M_vlalign@2', 'M_vlalign@3',
           'M_vlalign@5')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--iters', type=int, default=1500)
    parser.add_argument(
        '--seeds',
        type=int,
        nargs='+',
        default=[0],
        help='training seeds; the table shows the mean (and the spread)')
    parser.add_argument('--work-dir', default='work_dirs/world_classification')
    parser.add_argument('--cache', default=cache_root())
    return parser.parse_args(argv)


def run_recipe(config: str,
               work_dir: str,
               iters: int,
               data_root: str,
               teacher: str,
               seed: int = 0) -> dict:
    """Train one recipe and return its test metrics (without prefix)."""
    cfg = world_run_config(
        osp.join(CONFIGS, 'demo', config), work_dir, data_root, teacher, iters)
    cfg.train_cfg.val_interval = iters
    cfg.randomness.seed = seed
    runner = Runner.from_cfg(cfg)
    runner.train()
    metrics = runner.test()
    return {k.split('/')[-1]: v for k, v in metrics.items()}


def main(argv=None):
    args = parse_args(argv)
    world = generate_world(world_root(args.cache))
    teacher = ensure_world_clip(world, WORLD_CLIP_CONFIG,
                                world_clip_checkpoint(args.cache))
    objects = generate_world_objects(world_objects_root(args.cache))
    runs = {
        name: [
            run_recipe(
                config,
                osp.join(args.work_dir,
                         f'{osp.splitext(config)[0]}_seed{seed}'), args.iters,
                objects, teacher, seed) for seed in args.seeds
        ]
        for name, config in RECIPES.items()
    }
    report(runs)
    with open(osp.join(args.work_dir, 'results.json'), 'w') as f:
        json.dump(dict(seeds=args.seeds, runs=runs), f, indent=1)
    return runs


def report(runs: dict) -> None:
    """Mean over seeds of every metric per recipe (std below it)."""
    print(f'\n{"losses":<28}' + ''.join(f' {m:>12}' for m in METRICS))
    for name, results in runs.items():
        values = np.array([[r[m] for m in METRICS] for r in results])
        print(f'{name:<28}' + ''.join(f' {v:>12.3f}' for v in values.mean(0)))
        if len(results) > 1:
            print(f'{"  std over seeds":<28}' +
                  ''.join(f' {v:>12.3f}' for v in values.std(0)))


if __name__ == '__main__':
    main()
