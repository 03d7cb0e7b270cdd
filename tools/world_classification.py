"""Image-level VL distillation on the synthetic world: L_cls alone vs
L_cls + L_im-cst + L_vlprox, both trained from their configs by the
mmengine runner and reported like Table 1 of Li et al. (2023): ID, 0-shot
OOD and 5-shot OOD accuracy (each the mean of the last 5 validations), and
M_rel, M_neigh, M_vlalign on the training images and on the OOD images
separately (final student).

    python tools/world_classification.py [--iters 1500] [--shot-iters 300]
        [--seeds 0 1 2]

Writes the single-object scenes and uses the world CLIP teacher of
``make demo`` (each made once and cached).
"""
import argparse
import copy
import os.path as osp

import numpy as np
from mmengine.runner import Runner

from vlkd_seg.classification import few_shot_config
from vlkd_seg.datasets import generate_world, generate_world_objects
from vlkd_seg.demo import (WORLD_CLIP_CONFIG, ensure_world_clip,
                           world_clip_checkpoint, world_objects_root,
                           world_root, world_run_config)
from vlkd_seg.demo.li2023_table import read_mean
from vlkd_seg.utils import resume_checkpoint
from vlkd_seg.utils.cli import at_least, user_errors
from vlkd_seg.utils.io import (cache_root, make_output_dir,
                               write_json_atomically)

CONFIGS = osp.join(osp.dirname(osp.abspath(__file__)), '..', 'configs')
RECIPES = {
    'L_cls': 'vlkd-cls_r18-tiny_synthetic-world_cls-only.py',
    'L_cls + L_im-cst + L_vlprox': 'vlkd-cls_r18-tiny_synthetic-world.py',
}
SHOT_SCHEDULE = osp.join(CONFIGS, '_base_', 'schedules', 'cls_world_5shot.py')
SPACE = ('M_rel', 'M_neigh@3', 'M_neigh@5', 'M_neigh@10', 'M_vlalign@2',
         'M_vlalign@3')
METRICS = ('id_acc', 'ood_acc', 'ood_acc_5shot', 'teacher_ood_acc') + tuple(
    f'{part}_{m}' for part in ('train', 'ood') for m in SPACE)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--iters', type=at_least(1), default=1500)
    parser.add_argument(
        '--shot-iters',
        type=at_least(0),
        default=300,
        help='iterations of the 5-shot stage (0: leave it out)')
    parser.add_argument(
        '--seeds',
        type=at_least(0),
        nargs='+',
        default=[0],
        help='training seeds; the table shows the mean (and the spread)')
    parser.add_argument('--work-dir', default='work_dirs/world_classification')
    parser.add_argument('--cache', default=cache_root())
    return parser.parse_args(argv)


def _strip(metrics: dict) -> dict:
    return {k.split('/')[-1]: v for k, v in metrics.items()}


def _validate_every(cfg, iters: int) -> None:
    """Validate often enough near the end for a mean of the last 5."""
    cfg.train_cfg.val_interval = max(iters // 15, 1)


def run_recipe(config: str,
               work_dir: str,
               iters: int,
               data_root: str,
               teacher: str,
               seed: int = 0,
               shot_iters: int = 0) -> dict:
    """Train one recipe (and its 5-shot stage if ``shot_iters``) and
    return its metrics (without prefix; see :data:`METRICS`)."""
    cfg = world_run_config(
        osp.join(CONFIGS, 'demo', config), work_dir, data_root, teacher, iters)
    _validate_every(cfg, iters)
    cfg.randomness.seed = seed
    runner = Runner.from_cfg(cfg)
    runner.train()
    final = _strip(runner.test())
    metrics = {k: v for k, v in final.items() if k.startswith('ood_M')}
    metrics.update(read_mean(work_dir))
    checkpoint = resume_checkpoint(work_dir)
    metrics.update(train_space_metrics(cfg, checkpoint, work_dir))
    if shot_iters:
        metrics['ood_acc_5shot'] = run_few_shot(cfg, checkpoint, work_dir,
                                                shot_iters)['ood_acc']
    return metrics


def train_space_metrics(cfg, checkpoint: str, work_dir: str) -> dict:
    """M_rel, M_neigh, M_vlalign of the trained student on its training
    images (the paper's X_train), keys ``train_...``."""
    cfg = copy.deepcopy(cfg)
    cfg.work_dir = osp.join(work_dir, 'x_train')
    cfg.visualizer.name = f'visualizer_{osp.abspath(cfg.work_dir)}'
    cfg.test_dataloader.dataset = copy.deepcopy(cfg.train_dataloader.dataset)
    cfg.test_dataloader.dataset.pipeline = cfg.test_pipeline
    cfg.test_evaluator.set_names = dict(id='train')
    cfg.load_from = checkpoint
    metrics = _strip(Runner.from_cfg(cfg).test())
    return {k: v for k, v in metrics.items() if k.startswith('train_M')}


def run_few_shot(cfg, checkpoint: str, work_dir: str, iters: int) -> dict:
    """The 5-shot OOD stage from ``checkpoint``; the mean of its last 5
    validations."""
    cfg = few_shot_config(cfg, checkpoint, SHOT_SCHEDULE)
    cfg.work_dir = osp.join(work_dir, 'fewshot5')
    cfg.visualizer.name = f'visualizer_{osp.abspath(cfg.work_dir)}'
    cfg.param_scheduler[0].total_steps = iters
    cfg.train_cfg.max_iters = iters
    cfg.default_hooks.checkpoint.interval = iters
    _validate_every(cfg, iters)
    Runner.from_cfg(cfg).train()
    return read_mean(cfg.work_dir)


def main(argv=None):
    args = parse_args(argv)
    make_output_dir(args.work_dir, '--work-dir')
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
                objects, teacher, seed, args.shot_iters) for seed in args.seeds
        ]
        for name, config in RECIPES.items()
    }
    report(runs)
    write_json_atomically(
        dict(seeds=args.seeds, runs=runs),
        osp.join(args.work_dir, 'results.json'))
    return runs


def report(runs: dict) -> None:
    """Mean over seeds of every metric per recipe (std below it)."""
    keys = [
        m for m in METRICS if all(m in r for rs in runs.values() for r in rs)
    ]
    print(f'\n{"losses":<28}' + ''.join(f' {m:>15}' for m in keys))
    for name, results in runs.items():
        values = np.array([[r[m] for m in keys] for r in results])
        print(f'{name:<28}' + ''.join(f' {v:>15.3f}' for v in values.mean(0)))
        if len(results) > 1:
            print(f'{"  std over seeds":<28}' +
                  ''.join(f' {v:>15.3f}' for v in values.std(0)))


if __name__ == '__main__':
    with user_errors():
        main()
