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
import json
import os
import os.path as osp
import subprocess
import sys
from typing import Dict, List

import numpy as np
from mmengine.runner import Runner

from vlkd_seg.datasets import WORLD_CLASSES, WORLD_PALETTE, generate_world
from vlkd_seg.demo import ensure_world_clip, world_run_config
from vlkd_seg.utils import user_errors
from vlkd_seg.utils.io import cache_root

CONFIGS = osp.join(osp.dirname(osp.abspath(__file__)), '..', 'configs')
TEACHER_CFG = osp.join(CONFIGS, 'demo', 'maskclip_synthetic-world.py')
STUDENT_CFG = osp.join(CONFIGS, 'demo',
                       'maskclip-plus_fcn-r18-tiny_synthetic-world.py')
ORACLE_CFG = osp.join(CONFIGS, 'demo',
                      'oracle_fcn-r18-tiny_synthetic-world.py')
KEYS = ('mIoU_seen', 'mIoU_unseen', 'hIoU', 'mIoU')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--work-dir', default='work_dirs/demo')
    parser.add_argument(
        '--seeds',
        type=int,
        nargs='+',
        default=[0],
        help='student (and oracle) seeds; results are mean +- std')
    parser.add_argument(
        '--iters', type=int, default=1000, help='student training iterations')
    parser.add_argument(
        '--no-oracle', action='store_true', help='skip the oracle runs')
    parser.add_argument(
        '--teacher-steps',
        type=int,
        default=500,
        help='world CLIP pretraining steps')
    parser.add_argument(
        '--teacher-batch',
        type=int,
        default=64,
        help='world CLIP pretraining batch size')
    parser.add_argument('--train-scenes', type=int, default=2000)
    parser.add_argument('--val-scenes', type=int, default=200)
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
        if cfg.model.get('self_train_start') is not None:
            cfg.model.self_train_start = iters // 2
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
        curve=_val_curve(work_dir),
        self_train_start=runner.model.self_train_start,
        runner=runner)


def main(argv=None):
    args = parse_args(argv)
    cache = osp.expanduser(args.cache)
    world = generate_world(
        osp.join(cache, 'synthetic_world'),
        dict(train=args.train_scenes, val=args.val_scenes))
    with user_errors():
        checkpoint = ensure_world_clip(
            world,
            osp.join(CONFIGS, 'demo', 'world_clip_rn.json'),
            osp.join(cache, 'world_clip', 'world_clip_rn.pt'),
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
    os.makedirs(args.work_dir, exist_ok=True)
    files = [
        save_overlays(teacher, runs['student'][0]['runner'], args.work_dir),
        save_curves(runs, teacher_metrics, args.work_dir)
    ] + infer_new_vocabulary(args, world, checkpoint)
    results = summarise(teacher_metrics, runs, args)
    report(results, files)
    with open(osp.join(args.work_dir, 'results.json'), 'w') as f:
        json.dump(results, f, indent=1)
    return results


def _mean_std(runs: List[Dict]) -> Dict:
    values = {k: [r['metrics'][k] for r in runs] for k in KEYS}
    return dict(
        mean={
            k: float(np.mean(v))
            for k, v in values.items()
        },
        std={
            k: float(np.std(v))
            for k, v in values.items()
        })


def summarise(teacher: Dict, runs: Dict, args) -> Dict:
    """Teacher metrics, and per kind the runs and their mean +- std."""
    results = dict(
        seeds=args.seeds,
        iters=args.iters,
        unseen=[WORLD_CLASSES[i] for i in (2, 4, 7)],
        teacher=teacher)
    for kind, kind_runs in runs.items():
        if kind_runs:
            results[kind] = dict(
                **_mean_std(kind_runs),
                runs=[{
                    k: v
                    for k, v in r.items() if k != 'runner'
                } for r in kind_runs])
    if runs['oracle']:
        shares = [
            s['metrics']['mIoU_unseen'] /
            max(o['metrics']['mIoU_unseen'], 1e-6)
            for s, o in zip(runs['student'], runs['oracle'])
        ]
        results['student_unseen_vs_oracle'] = dict(
            mean=float(np.mean(shares)), std=float(np.std(shares)))
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


def report(results: Dict, files: List[str]) -> None:
    seeds = ', '.join(map(str, results['seeds']))
    lines = [
        '', f'[demo] synthetic world, unseen classes: '
        f'{", ".join(results["unseen"])}; seeds {seeds}; '
        f'{results["iters"]} student iterations',
        f'{"model":<34}' + ''.join(f'{k:>16}' for k in KEYS),
        f'{"MaskCLIP teacher (training-free)":<34}' +
        ''.join(f'{results["teacher"][k]:>16.2f}' for k in KEYS)
    ]
    for kind, title in (('student', 'MaskCLIP+ student'),
                        ('oracle', 'oracle (all labels)')):
        if kind in results:
            mean, std = results[kind]['mean'], results[kind]['std']
            lines.append(f'{title:<34}' +
                         ''.join(f'{f"{mean[k]:.2f} +- {std[k]:.2f}":>16}'
                                 for k in KEYS))
    if 'student_unseen_vs_oracle' in results:
        share = results['student_unseen_vs_oracle']
        lines.append(f'student unseen mIoU / oracle unseen mIoU: '
                     f'{share["mean"]:.3f} +- {share["std"]:.3f}')
    lines += [''] + [f'wrote {f}' for f in files]
    print('\n'.join(lines))


def _predict(runner: Runner, batch):
    runner.model.eval()
    return [
        s.pred_sem_seg.data[0].cpu().numpy()
        for s in runner.model.test_step(batch)
    ]


def save_overlays(teacher: Runner,
                  student: Runner,
                  work_dir: str,
                  count: int = 6) -> str:
    """Image | ground truth | teacher | student for a few scenes (PNG)."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    batch = next(iter(student.test_dataloader))
    t_batch = next(iter(teacher.test_dataloader))
    preds = [_predict(teacher, t_batch), _predict(student, batch)]
    palette = np.array(WORLD_PALETTE + [[255, 255, 255]] * 247, np.uint8)
    fig, axes = plt.subplots(count, 4, figsize=(8, 2 * count))
    for row in range(count):
        sample = batch['data_samples'][row]
        image = batch['inputs'][row].permute(1, 2, 0).numpy()[..., ::-1]
        gt = sample.gt_sem_seg.data[0].numpy()
        panels = [
            image, palette[gt], palette[preds[0][row]], palette[preds[1][row]]
        ]
        for col, (panel, title) in enumerate(
                zip(panels, [
                    'image', 'ground truth', 'MaskCLIP teacher',
                    'MaskCLIP+ student'
                ])):
            axes[row, col].imshow(panel, interpolation='nearest')
            axes[row, col].set_axis_off()
            if row == 0:
                axes[row, col].set_title(title, fontsize=9)
    fig.tight_layout()
    path = osp.join(work_dir, 'overlays.png')
    fig.savefig(path, dpi=80)
    plt.close(fig)
    return path


def _val_curve(run_dir: str) -> List[Dict]:
    """Validation metrics of a run over its iterations."""
    scalars = sorted(
        glob.glob(osp.join(run_dir, '*', 'vis_data', 'scalars.json')))[-1]
    with open(scalars) as f:
        records = [json.loads(line) for line in f]
    return [
        dict(step=r['step'], **{k: r[k]
                                for k in KEYS}) for r in records
        if 'mIoU_unseen' in r
    ]


def save_curves(runs: Dict, teacher: Dict, work_dir: str) -> str:
    """Validation mIoU (unseen, seen) against iterations, per seed (PNG)."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.6))
    colors = plt.rcParams['axes.prop_cycle'].by_key()['color']
    for ax, key in zip(axes, ('mIoU_unseen', 'mIoU_seen')):
        for kind, style in (('student', '-'), ('oracle', '--')):
            for i, run in enumerate(runs[kind]):
                curve = run['curve']
                ax.plot([r['step'] for r in curve], [r[key] for r in curve],
                        style,
                        color=colors[i % len(colors)],
                        label=f'{kind} seed {run["seed"]}')
                if run['self_train_start'] is not None:
                    ax.axvline(
                        run['self_train_start'],
                        color=colors[i % len(colors)],
                        linestyle=':',
                        linewidth=0.8)
        ax.axhline(teacher[key], color='gray', label='MaskCLIP teacher')
        ax.set(xlabel='iteration', ylabel='%', title=key)
    axes[0].legend(fontsize=7)
    fig.tight_layout()
    path = osp.join(work_dir, 'curves.png')
    fig.savefig(path, dpi=80)
    plt.close(fig)
    return path


if __name__ == '__main__':
    main()
