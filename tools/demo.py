"""The embedded demo behind ``make demo``: MaskCLIP+ end to end, offline.

1. generate the synthetic world (cached);
2. pretrain its CLIP teacher on captions of all classes (cached);
3. evaluate the training-free MaskCLIP teacher;
4. train the MaskCLIP+ student with 3 of the 8 objects unseen;
5. print teacher vs student (mIoU seen / unseen / hIoU) and write PNG
   overlays and a loss / mIoU plot into the work dir.
"""
import argparse
import glob
import json
import os
import os.path as osp

import numpy as np
from mmengine.runner import Runner

from vlkd_seg.apis import ensure_world_clip, world_run_config
from vlkd_seg.datasets import WORLD_CLASSES, WORLD_PALETTE, generate_world
from vlkd_seg.utils import user_errors
from vlkd_seg.utils.io import cache_root

CONFIGS = osp.join(osp.dirname(osp.abspath(__file__)), '..', 'configs')
TEACHER_CFG = osp.join(CONFIGS, 'demo', 'maskclip_synthetic-world.py')
STUDENT_CFG = osp.join(CONFIGS, 'demo',
                       'maskclip-plus_fcn-r18-tiny_synthetic-world.py')
KEYS = ('mIoU_seen', 'mIoU_unseen', 'hIoU', 'mIoU')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--work-dir', default='work_dirs/demo')
    parser.add_argument(
        '--iters', type=int, default=1000, help='student training iterations')
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


def _runner(config: str, work_dir: str, world: str, checkpoint: str,
            **train) -> Runner:
    iters = train.get('iters')
    cfg = world_run_config(config, work_dir, world, checkpoint, iters)
    if iters:
        cfg.train_cfg.val_interval = max(iters // 5, 1)
        cfg.default_hooks.logger.interval = max(iters // 20, 1)
        cfg.model.self_train_start = iters // 2
    return Runner.from_cfg(cfg)


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
        # build each runner right before it runs: a runner seeds the global
        # RNGs when built, and a run in between would change the student's
        # initialisation and batches (the short schedule is seed-sensitive)
        student = _runner(
            STUDENT_CFG,
            osp.join(args.work_dir, 'student'),
            world,
            checkpoint,
            iters=args.iters)
        student.train()
        student_metrics = student.test()
        teacher = _runner(TEACHER_CFG, osp.join(args.work_dir, 'teacher'),
                          world, checkpoint)
        teacher_metrics = teacher.test()
    os.makedirs(args.work_dir, exist_ok=True)
    overlays = save_overlays(teacher, student, args.work_dir)
    curves = save_curves(osp.join(args.work_dir, 'student'), args.work_dir)
    report(teacher_metrics, student_metrics, args, [overlays, curves])
    return dict(teacher=teacher_metrics, student=student_metrics)


def report(teacher: dict, student: dict, args, files) -> None:
    unseen = [WORLD_CLASSES[i] for i in (2, 4, 7)]
    lines = [
        '', f'[demo] synthetic world, unseen classes: {", ".join(unseen)}',
        f'{"model":<34}' + ''.join(f'{k:>13}' for k in KEYS),
        f'{"MaskCLIP teacher (training-free)":<34}' +
        ''.join(f'{teacher[k]:>13.2f}' for k in KEYS),
        f'{"MaskCLIP+ student (" + str(args.iters) + " iters)":<34}' +
        ''.join(f'{student[k]:>13.2f}' for k in KEYS), ''
    ] + [f'wrote {f}' for f in files]
    print('\n'.join(lines))
    with open(osp.join(args.work_dir, 'results.json'), 'w') as f:
        json.dump(dict(teacher=teacher, student=student), f, indent=1)


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


def save_curves(run_dir: str, work_dir: str) -> str:
    """Training loss and validation mIoU over iterations (PNG)."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    scalars = sorted(
        glob.glob(osp.join(run_dir, '*', 'vis_data', 'scalars.json')))[-1]
    with open(scalars) as f:
        records = [json.loads(line) for line in f]
    train = [r for r in records if 'loss' in r]
    val = [r for r in records if 'mIoU_unseen' in r]
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.2))
    ax1.plot([r['step'] for r in train], [r['loss'] for r in train])
    ax1.set(xlabel='iteration', ylabel='loss', title='student loss')
    for key in ('mIoU_seen', 'mIoU_unseen', 'hIoU'):
        ax2.plot([r['step'] for r in val], [r[key] for r in val],
                 'o-',
                 label=key)
    ax2.set(xlabel='iteration', ylabel='%', title='validation')
    ax2.legend()
    fig.tight_layout()
    path = osp.join(work_dir, 'curves.png')
    fig.savefig(path, dpi=80)
    plt.close(fig)
    return path


if __name__ == '__main__':
    main()
