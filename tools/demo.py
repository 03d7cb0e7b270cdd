"""The embedded demo behind ``make demo``: MaskCLIP+ end to end, offline.

1. generate the synthetic world (cached);
2. pretrain its CLIP teacher on captions of all classes (cached);
3. evaluate the training-free MaskCLIP teacher;
4. per seed, train the MaskCLIP+ student with 3 of the 8 objects unseen,
   and its fully supervised oracle (same student and schedule, every class
   labelled);
5. print teacher, student and oracle (mean +- std over the seeds of mIoU
   seen / unseen / hIoU, and the student's unseen mIoU as a share of the
   oracle's) and write ``results.json``, PNG overlays and the mIoU curves
   of every seed into the work dir;
6. segment four world images with ``tools/infer.py``, the first seed's
   student and a vocabulary that reorders the classes and drops two.
"""
import argparse
import glob
import os.path as osp
import subprocess
import sys
from typing import Dict, List

from mmengine.runner import Runner

from vlkd_seg.datasets import WORLD_CLASSES, generate_world
from vlkd_seg.demo import (WORLD_CLIP_CONFIG, ensure_world_clip, report,
                           save_curves, save_overlays, summarise, val_curve,
                           world_clip_checkpoint, world_root, world_run_config)
from vlkd_seg.utils import user_errors
from vlkd_seg.utils.cli import at_least
from vlkd_seg.utils.io import (cache_root, make_output_dir,
                               write_json_atomically)

CONFIGS = osp.join(osp.dirname(osp.abspath(__file__)), '..', 'configs')
TEACHER_CFG = osp.join(CONFIGS, 'demo', 'maskclip_synthetic-world.py')
STUDENT_CFG = osp.join(CONFIGS, 'demo',
                       'maskclip-plus_fcn-r18-tiny_synthetic-world.py')
ORACLE_CFG = osp.join(CONFIGS, 'demo',
                      'oracle_fcn-r18-tiny_synthetic-world.py')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--work-dir', default='work_dirs/demo')
    parser.add_argument(
        '--seeds',
        type=at_least(0),
        nargs='+',
        default=[0],
        help='student (and oracle) seeds; results are mean +- std')
    parser.add_argument(
        '--iters',
        type=at_least(1),
        default=1000,
        help='student training iterations')
    parser.add_argument(
        '--no-oracle', action='store_true', help='skip the oracle runs')
    parser.add_argument(
        '--teacher-steps',
        type=at_least(1),
        default=500,
        help='world CLIP pretraining steps')
    parser.add_argument(
        '--teacher-batch',
        type=at_least(2),
        default=64,
        help='world CLIP pretraining batch size')
    parser.add_argument('--train-scenes', type=at_least(1), default=2000)
    parser.add_argument('--val-scenes', type=at_least(1), default=200)
    parser.add_argument('--cache', default=cache_root())
    return parser.parse_args(argv)


def _runner(config: str,
            work_dir: str,
            world: str,
            checkpoint: str,
            seed: int = 0,
            iters: int = None) -> Runner:
    cfg = world_run_config(config, work_dir, world, checkpoint, iters)
    cfg.randomness = dict(seed=seed, deterministic=False)
    if iters:
        cfg.train_cfg.val_interval = max(iters // 10, 1)
        cfg.default_hooks.logger.interval = max(iters // 20, 1)
        for labeller in cfg.model.get('labellers', []):
            if labeller.type == 'StudentLabeller':
                labeller.start = iters // 2
    return Runner.from_cfg(cfg)


def _train(config: str, work_dir: str, world: str, checkpoint: str, seed: int,
           iters: int) -> Dict:
    """Train one run and test it; its metrics and validation curve."""
    runner = _runner(config, work_dir, world, checkpoint, seed, iters)
    runner.train()
    metrics = runner.test()
    return dict(
        seed=seed,
        metrics=metrics,
        curve=val_curve(work_dir),
        self_train_start=runner.model.self_train_start,
        runner=runner)


def main(argv=None):
    args = parse_args(argv)
    with user_errors():
        make_output_dir(args.work_dir, '--work-dir')
        world = generate_world(
            world_root(args.cache),
            dict(train=args.train_scenes, val=args.val_scenes))
    with user_errors():
        checkpoint = ensure_world_clip(
            world,
            WORLD_CLIP_CONFIG,
            world_clip_checkpoint(args.cache),
            steps=args.teacher_steps,
            batch_size=args.teacher_batch)
        runs = dict(student=[], oracle=[])
        kinds = [('student', STUDENT_CFG)]
        if not args.no_oracle:
            kinds.append(('oracle', ORACLE_CFG))
        for seed in args.seeds:
            for kind, config in kinds:
                runs[kind].append(
                    _train(config, osp.join(args.work_dir,
                                            f'{kind}_seed{seed}'), world,
                           checkpoint, seed, args.iters))
        teacher = _runner(TEACHER_CFG, osp.join(args.work_dir, 'teacher'),
                          world, checkpoint)
        teacher_metrics = teacher.test()
    student = runs['student'][0]['runner']
    files = [
        save_overlays(teacher, student, args.work_dir),
        save_curves(runs, teacher_metrics, args.work_dir)
    ] + infer_new_vocabulary(args, world, checkpoint)
    # the unseen classes as the student's recipe declares them
    unseen = [WORLD_CLASSES[i] for i in student.model.unseen_idx]
    results = summarise(teacher_metrics, runs, args.seeds, args.iters, unseen)
    report(results, files)
    write_json_atomically(results, osp.join(args.work_dir, 'results.json'))
    return results


# the world's classes reordered, with cross and bar left out
DEMO_VOCABULARY = 'star,ring,background,diamond,disc,square,triangle'


def infer_new_vocabulary(args, world: str, teacher: str) -> List[str]:
    """Run ``tools/infer.py`` with the first seed's student on four world
    images and a vocabulary that reorders the classes and drops two."""
    images = sorted(glob.glob(osp.join(world, 'img_dir', 'val', '*.png')))[:4]
    out = osp.join(args.work_dir, 'infer')
    checkpoint = osp.join(args.work_dir, f'student_seed{args.seeds[0]}',
                          f'iter_{args.iters}.pth')
    subprocess.run([
        sys.executable,
        osp.join(osp.dirname(osp.abspath(__file__)), 'infer.py'), STUDENT_CFG,
        checkpoint, *images, '--vocabulary', DEMO_VOCABULARY, '--out', out,
        '--cfg-options', f'model.teacher.checkpoint={teacher}'
    ],
                   check=True)
    return sorted(glob.glob(osp.join(out, '*_overlay.png')))


if __name__ == '__main__':
    main()
