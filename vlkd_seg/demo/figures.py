"""The demo's PNGs: prediction overlays and validation curves."""
import io
import os.path as osp
from typing import Dict, List

import numpy as np
from mmengine.runner import Runner

from vlkd_seg.datasets import WORLD_PALETTE
from vlkd_seg.utils.io import write_atomically

_PANELS = ('image', 'ground truth', 'MaskCLIP teacher', 'MaskCLIP+ student')


def _pyplot():
    """matplotlib's pyplot on the file-only Agg backend."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    return plt


def _save(fig, path: str) -> str:
    fig.tight_layout()
    with io.BytesIO() as buffer:
        fig.savefig(buffer, format='png', dpi=80)
        write_atomically(buffer.getvalue(), path)
    _pyplot().close(fig)
    return path


def _predict(runner: Runner, batch: Dict) -> List[np.ndarray]:
    """Label maps the runner's model predicts for one test batch."""
    runner.model.eval()
    return [
        s.pred_sem_seg.data[0].cpu().numpy()
        for s in runner.model.test_step(batch)
    ]


def save_overlays(teacher: Runner,
                  student: Runner,
                  work_dir: str,
                  count: int = 6) -> str:
    """Image | ground truth | teacher | student for a few scenes (PNG).

    Args:
        teacher (Runner): Runner of the training-free teacher.
        student (Runner): Runner of a trained student.
        work_dir (str): Folder of ``overlays.png``.
        count (int): Scenes (rows) from the first test batch.

    Returns:
        str: Path of the PNG.
    """
    plt = _pyplot()
    batch = next(iter(student.test_dataloader))
    preds = [
        _predict(teacher, next(iter(teacher.test_dataloader))),
        _predict(student, batch)
    ]
    palette = np.array(WORLD_PALETTE + [[255, 255, 255]] * 247, np.uint8)
    fig, axes = plt.subplots(count, 4, figsize=(8, 2 * count))
    for row in range(count):
        image = batch['inputs'][row].permute(1, 2, 0).numpy()[..., ::-1]
        gt = batch['data_samples'][row].gt_sem_seg.data[0].numpy()
        panels = [image] + [palette[m] for m in (gt, *(p[row] for p in preds))]
        for ax, panel, title in zip(axes[row], panels, _PANELS):
            ax.imshow(panel, interpolation='nearest')
            ax.set_axis_off()
            if row == 0:
                ax.set_title(title, fontsize=9)
    return _save(fig, osp.join(work_dir, 'overlays.png'))


def _plot_runs(ax, runs: Dict, key: str, colors: List[str]) -> None:
    """One line per run (student solid, oracle dashed) and a dotted mark
    where self-training begins."""
    for kind, style in (('student', '-'), ('oracle', '--')):
        for i, run in enumerate(runs[kind]):
            color = colors[i % len(colors)]
            curve = run['curve']
            ax.plot([r['step'] for r in curve], [r[key] for r in curve],
                    style,
                    color=color,
                    label=f'{kind} seed {run["seed"]}')
            if run['self_train_start'] is not None:
                ax.axvline(
                    run['self_train_start'],
                    color=color,
                    linestyle=':',
                    linewidth=0.8)


def save_curves(runs: Dict, teacher: Dict, work_dir: str) -> str:
    """Validation mIoU (unseen, seen) against iterations, per seed (PNG).

    Args:
        runs (dict): ``student`` and ``oracle`` lists of runs, each with
            ``seed``, ``curve`` (:func:`~vlkd_seg.demo.val_curve`) and
            ``self_train_start``.
        teacher (dict): Test metrics of the teacher (a horizontal line).
        work_dir (str): Folder of ``curves.png``.

    Returns:
        str: Path of the PNG.
    """
    plt = _pyplot()
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.6))
    colors = plt.rcParams['axes.prop_cycle'].by_key()['color']
    for ax, key in zip(axes, ('mIoU_unseen', 'mIoU_seen')):
        _plot_runs(ax, runs, key, colors)
        ax.axhline(teacher[key], color='gray', label='MaskCLIP teacher')
        ax.set(xlabel='iteration', ylabel='%', title=key)
    axes[0].legend(fontsize=7)
    return _save(fig, osp.join(work_dir, 'curves.png'))
