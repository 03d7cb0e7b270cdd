"""One student of two datasets beside a student of each alone (SSIW).

On the embedded world:

1. the world (cached), its CLIP (cached) and two datasets drawn from it
   whose label sets differ and overlap (``vlkd_seg.datasets.world_views``:
   ``a`` and ``b``, b's "hoop" being a's "ring"; each leaves the other's
   own objects as background);
2. per seed, the tiny FCN trained on both through one label space
   (``merged``: losses over each sample's own classes, its background
   pseudo-labelled among the classes its dataset does not annotate) and
   on each dataset alone (``a``, ``b``), same student and schedule;
3. each tested with all 9 classes named on the world's validation scenes
   (every class labelled) and on each dataset's validation labels, its
   predictions mapped into that dataset's classes (``LabelSpaceIoUMetric``):
   the dataset's mIoU and the mIoU of its own classes, those the other
   dataset does not annotate;
4. mean +- std over the seeds, written to ``results.json``.

    python tools/ssiw_world.py --seeds 0 1 2 --work-dir work_dirs/ssiw_world
"""
import argparse
import copy
import os.path as osp
from typing import Dict, List

from mmengine.runner import Runner

from vlkd_seg.apis import evaluate_on_dataset
from vlkd_seg.datasets import generate_world, unify_label_spaces
from vlkd_seg.datasets.world_views import WORLD_VIEWS, write_world_views
from vlkd_seg.demo import (WORLD_CLIP_CONFIG, ensure_world_clip, mean_std,
                           world_clip_checkpoint, world_root, world_run_config)
from vlkd_seg.utils import user_errors
from vlkd_seg.utils.cli import at_least
from vlkd_seg.utils.io import (cache_root, make_output_dir,
                               write_json_atomically)

CONFIGS = osp.join(osp.dirname(osp.abspath(__file__)), '..', 'configs', 'demo')
RUNS = dict(
    merged=osp.join(CONFIGS, 'ssiw_fcn-r18-tiny_synthetic-world-views.py'),
    a=osp.join(CONFIGS, 'ssiw_fcn-r18-tiny_synthetic-world-view-a.py'),
    b=osp.join(CONFIGS, 'ssiw_fcn-r18-tiny_synthetic-world-view-b.py'))
TITLES = dict(
    merged='one student of a and b',
    a='student of a alone',
    b='student of b alone')
# the figures of each run: the world's mIoU, per dataset its mIoU and that
# of its own classes (those the other dataset does not annotate)
COLUMNS = ('world', 'a', 'a_own', 'b', 'b_own')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        '--seeds', type=at_least(0), nargs='+', default=[0, 1, 2])
    parser.add_argument('--iters', type=at_least(1), default=1000)
    parser.add_argument(
        '--kinds', nargs='+', choices=list(RUNS), default=list(RUNS))
    parser.add_argument('--teacher-steps', type=at_least(1), default=500)
    parser.add_argument('--work-dir', default='work_dirs/ssiw_world')
    parser.add_argument('--cache', default=cache_root())
    return parser.parse_args(argv)


def own_classes(synonyms: List[List[str]]) -> Dict[str, List[int]]:
    """Per view, its classes the other views do not annotate."""
    maps = unify_label_spaces(WORLD_VIEWS, synonyms).maps
    return {
        view: [
            i for i, u in enumerate(unified)
            if not any(u in maps[other] for other in maps if other != view)
        ]
        for view, unified in maps.items()
    }


def view_val(cfg, view: str, world: str) -> dict:
    """The validation dataset of ``view`` (its own classes)."""
    dataset = copy.deepcopy(cfg[f'view_{view}'])
    dataset.update(
        data_root=world,
        ann_file=f'views/{view}/val.txt',
        data_prefix=dict(
            img_path='img_dir/val', seg_map_path=f'views/{view}/ann_dir/val'),
        pipeline=cfg.test_pipeline)
    return dataset


def train(kind: str, work: str, world: str, clip: str, seed: int,
          args: argparse.Namespace) -> Dict:
    """Train one run, test it on the world and on each view."""
    cfg = world_run_config(RUNS[kind], osp.join(work, f'{kind}_seed{seed}'),
                           world, clip, args.iters)
    cfg.randomness = dict(seed=seed, deterministic=False)
    cfg.train_cfg.val_interval = cfg.train_cfg.max_iters
    runner = Runner.from_cfg(cfg)
    runner.train()
    metrics = dict(world=runner.test()['mIoU'])
    own = own_classes(cfg.synonyms)
    for view in WORLD_VIEWS:
        result = evaluate_on_dataset(
            runner,
            view_val(cfg, view, world),
            cfg.unified_classes,
            cfg.synonyms,
            other='background',
            unseen_idx=own[view])
        metrics[view] = result['mIoU']
        metrics[f'{view}_own'] = result['mIoU_unseen']
    return dict(seed=seed, metrics=metrics)


def _line(title: str, mean: Dict = None, std: Dict = None) -> str:
    if mean is None:  # the header
        return f'{title:<26}' + ''.join(f'{k:>16}' for k in COLUMNS)
    cells = [f'{mean[k]:.2f} +- {std[k]:.2f}' for k in COLUMNS]
    return f'{title:<26}' + ''.join(f'{c:>16}' for c in cells)


def main(argv=None) -> Dict:
    args = parse_args(argv)
    work = osp.abspath(make_output_dir(args.work_dir, '--work-dir'))
    world = world_root(args.cache)
    if not osp.isdir(world):  # the demo's world, if it is not cached yet
        generate_world(world)
    write_world_views(world)
    clip = ensure_world_clip(
        world,
        WORLD_CLIP_CONFIG,
        world_clip_checkpoint(args.cache),
        steps=args.teacher_steps)
    results = dict(seeds=args.seeds, iters=args.iters)
    for kind in args.kinds:
        runs = [
            train(kind, work, world, clip, seed, args) for seed in args.seeds
        ]
        results[kind] = dict(**mean_std(runs, keys=COLUMNS), runs=runs)
    write_json_atomically(results, osp.join(work, 'results.json'))
    lines = ['', _line('model')] + [
        _line(TITLES[kind], results[kind]['mean'], results[kind]['std'])
        for kind in args.kinds
    ]
    print('\n'.join(lines))
    return results


if __name__ == '__main__':
    with user_errors():
        main()
