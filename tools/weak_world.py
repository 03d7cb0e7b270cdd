"""Weakly supervised distillation on the embedded world (CLIP-ES style).

Scores the teacher's pseudo-masks on the training scenes (tags from the
true masks, tag-restricted softmax over the scene's objects and background,
no threshold), trains the image-tag student and the fully supervised
student on the same schedule for each seed, and writes ``results.json``.
Needs the world and its CLIP teacher (``make demo`` makes both).

    python tools/weak_world.py --seeds 0 1 2 --work-dir work_dirs/weak_world
"""
import argparse
import json
import os.path as osp
import statistics
from typing import Dict, List

from mmengine.runner import Runner

from vlkd_seg.apis import (build_tag_model, pseudo_mask_loader,
                           score_pseudo_masks, write_pseudo_masks)
from vlkd_seg.demo import world_clip_checkpoint, world_root, world_run_config
from vlkd_seg.utils import MissingFileError, user_errors
from vlkd_seg.utils.io import cache_root, write_atomically

CONFIGS = osp.join(osp.dirname(__file__), '..', 'configs', 'demo')
WEAK = osp.join(CONFIGS, 'clip-es_fcn-r18-tiny_synthetic-world.py')
FULL = osp.join(CONFIGS, 'oracle_fcn-r18-tiny_synthetic-world.py')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2])
    parser.add_argument('--iters', type=int, default=1000)
    parser.add_argument('--work-dir', default='work_dirs/weak_world')
    parser.add_argument('--cache', default=cache_root())
    return parser.parse_args(argv)


def teacher_quality(world: str, teacher: str, work_dir: str) -> float:
    """Teacher pseudo-mask mIoU on the world's training scenes (every pixel
    labelled: no threshold), through the masks tool's code."""
    cfg = world_run_config(WEAK, work_dir, world, teacher)
    loader = Runner.build_dataloader(pseudo_mask_loader(cfg))
    model = build_tag_model(cfg, no_threshold=True)
    out = osp.join(work_dir, 'masks')
    write_pseudo_masks(model, loader, out)
    return score_pseudo_masks(out, loader, model.class_names)['mIoU']


def train(config: str, world: str, teacher: str, work_dir: str, seed: int,
          iters: int) -> Dict:
    """Train one run; its test metrics."""
    cfg = world_run_config(config, work_dir, world, teacher, iters)
    cfg.randomness = dict(seed=seed, deterministic=False)
    cfg.train_cfg.val_interval = iters
    if cfg.model.get('self_train_start') is not None:
        cfg.model.self_train_start = iters // 2
    runner = Runner.from_cfg(cfg)
    runner.train()
    return dict(seed=seed, metrics=runner.test())


def _summary(runs: List[Dict]) -> Dict:
    values = [r['metrics']['mIoU'] for r in runs]
    return dict(
        runs=runs,
        mean=statistics.mean(values),
        std=statistics.stdev(values) if len(values) > 1 else 0.)


def main(argv=None) -> Dict:
    args = parse_args(argv)
    world, teacher = world_root(args.cache), world_clip_checkpoint(args.cache)
    if not (osp.isdir(world) and osp.isfile(teacher)):
        raise MissingFileError(f'the world ({world}) or its teacher '
                               f'({teacher}) is missing: run `make demo` '
                               'first')
    work = osp.abspath(args.work_dir)
    results = dict(
        teacher_pseudo_mIoU=teacher_quality(world, teacher,
                                            osp.join(work, 'teacher')))
    for kind, config in (('image_tags', WEAK), ('fully_supervised', FULL)):
        results[kind] = _summary([
            train(config, world, teacher, osp.join(work, f'{kind}_{seed}'),
                  seed, args.iters) for seed in args.seeds
        ])
    results['share_of_fully_supervised'] = (
        results['image_tags']['mean'] / results['fully_supervised']['mean'])
    write_atomically(
        json.dumps(results, indent=1), osp.join(work, 'results.json'))
    print(f"[weak] teacher pseudo-masks {results['teacher_pseudo_mIoU']:.2f}"
          f" mIoU; image-tag student {results['image_tags']['mean']:.2f} +- "
          f"{results['image_tags']['std']:.2f}; fully supervised "
          f"{results['fully_supervised']['mean']:.2f} +- "
          f"{results['fully_supervised']['std']:.2f} "
          f"({results['share_of_fully_supervised']:.1%})")
    return results


if __name__ == '__main__':
    with user_errors():
        main()
