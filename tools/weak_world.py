"""Weakly supervised distillation on the embedded world (CLIP-ES style).

As CLIP-ES does: the teacher's pseudo-masks of the training scenes (tags
from the true masks, tag-restricted softmax over the scene's objects and
background, CRF; ``tools/pseudo_masks.py``'s code) are written once and
scored, then for each seed the student is trained on them (no pixel label)
and, on the same schedule, on the true masks (fully supervised); the
numbers go to ``results.json``. Needs the world and its CLIP teacher
(``make demo`` makes both).

    python tools/weak_world.py --seeds 0 1 2 --work-dir work_dirs/weak_world
"""
import argparse
import os.path as osp
import statistics
from typing import Dict, List, Optional, Tuple

from mmengine.runner import Runner

from vlkd_seg.apis import (build_tag_model, pseudo_mask_loader,
                           score_pseudo_masks, write_pseudo_masks)
from vlkd_seg.demo import world_clip_checkpoint, world_root, world_run_config
from vlkd_seg.utils import MissingFileError, user_errors
from vlkd_seg.utils.cli import at_least
from vlkd_seg.utils.io import (cache_root, make_output_dir,
                               write_json_atomically)

CONFIGS = osp.join(osp.dirname(__file__), '..', 'configs', 'demo')
WEAK = osp.join(CONFIGS, 'clip-es_fcn-r18-tiny_synthetic-world.py')
FULL = osp.join(CONFIGS, 'oracle_fcn-r18-tiny_synthetic-world.py')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        '--seeds', type=at_least(0), nargs='+', default=[0, 1, 2])
    parser.add_argument('--iters', type=at_least(1), default=1000)
    parser.add_argument('--work-dir', default='work_dirs/weak_world')
    parser.add_argument('--cache', default=cache_root())
    return parser.parse_args(argv)


def teacher_masks(world: str, teacher: str,
                  work_dir: str) -> Tuple[str, float]:
    """Write the teacher's pseudo-masks of the training scenes (the world
    recipe's settings) to ``work_dir/masks``; the folder and their mIoU."""
    cfg = world_run_config(WEAK, work_dir, world, teacher)
    loader = pseudo_mask_loader(cfg, batch_size=16)  # scenes: one size
    model = build_tag_model(cfg)
    out = osp.join(work_dir, 'masks')
    write_pseudo_masks(model, loader, out)
    return out, score_pseudo_masks(out, loader, model.class_names)['mIoU']


def train(world: str,
          teacher: str,
          work_dir: str,
          seed: int,
          iters: int,
          masks: Optional[str] = None) -> Dict:
    """Train the student on the true masks or on the folder ``masks``; its
    test metrics."""
    cfg = world_run_config(FULL, work_dir, world, teacher, iters)
    if masks is not None:
        cfg.train_dataloader.dataset.data_prefix.seg_map_path = masks
    cfg.randomness = dict(seed=seed, deterministic=False)
    cfg.train_cfg.val_interval = iters
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
    work = osp.abspath(make_output_dir(args.work_dir, '--work-dir'))
    masks, quality = teacher_masks(world, teacher, osp.join(work, 'teacher'))
    results = dict(teacher_pseudo_mIoU=quality)
    for kind, labels in (('image_tags', masks), ('fully_supervised', None)):
        results[kind] = _summary([
            train(world, teacher, osp.join(work, f'{kind}_{seed}'), seed,
                  args.iters, labels) for seed in args.seeds
        ])
    results['share_of_fully_supervised'] = (
        results['image_tags']['mean'] / results['fully_supervised']['mean'])
    write_json_atomically(results, osp.join(work, 'results.json'))
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
