"""Configs of the embedded world's runs, as the demo tools use them."""
import os.path as osp
from typing import Optional

from mmengine.config import Config

from vlkd_seg.utils import iter_datasets, load_config, setup_device


def world_run_config(config: str,
                     work_dir: str,
                     data_root: str,
                     teacher_checkpoint: Optional[str],
                     iters: Optional[int] = None) -> Config:
    """A world recipe pointed at the cached data and world CLIP, on CPU.

    Args:
        config (str): Recipe under ``configs/demo``.
        work_dir (str): Work dir; also names the run's visualizer, so
            runners of one process keep apart.
        data_root (str): Root of every dataset in the config (wrapped ones
            included).
        teacher_checkpoint (str, optional): World CLIP weights; None keeps
            random weights.
        iters (int, optional): Shortens the schedule: iterations, the first
            LR scheduler's end and the checkpoint interval.
    """
    cfg = load_config(config)
    cfg.work_dir = work_dir
    cfg.visualizer.name = f'visualizer_{osp.basename(work_dir)}'
    for _, dataset, _ in iter_datasets(cfg):
        dataset.data_root = data_root
    cfg.model.teacher.checkpoint = teacher_checkpoint
    if iters:
        cfg.train_cfg.max_iters = iters
        cfg.param_scheduler[0].end = iters
        cfg.default_hooks.checkpoint.interval = iters
    setup_device(cfg, 'none')
    return cfg
