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
        teacher_checkpoint (str, optional): World CLIP weights of every
            CLIP part of the model (a distiller's teacher, ZegCLIP's image
            and text encoders, CLIPSeg's CLIP); None keeps random weights.
        iters (int, optional): Changes the schedule's length: iterations,
            LR schedulers (:func:`_fit_schedule`) and the checkpoint
            interval.
    """
    cfg = load_config(config)
    cfg.work_dir = work_dir
    cfg.visualizer.name = f'visualizer_{osp.abspath(work_dir)}'
    for _, dataset, _ in iter_datasets(cfg):
        dataset.data_root = data_root
    for part in ('teacher', 'image_encoder', 'text_encoder', 'clip'):
        if part in cfg.model:
            cfg.model[part].checkpoint = teacher_checkpoint
    if iters:
        _fit_schedule(cfg.param_scheduler, cfg.train_cfg.max_iters, iters)
        cfg.train_cfg.max_iters = iters
        cfg.default_hooks.checkpoint.interval = iters
    setup_device(cfg, 'none')
    return cfg


def _fit_schedule(schedulers: list, old: int, new: int) -> None:
    """Fit LR schedulers of an ``old``-iteration schedule to ``new``.

    Schedulers that end with the schedule end at ``new``; the others (a
    warm-up) keep their length. A schedule too short for that (a test's
    few iterations) is scaled as a whole.
    """
    if any(2 * s.begin >= new for s in schedulers):
        for s in schedulers:
            s.begin = s.begin * new // old
            s.end = max(s.end * new // old, s.begin + 1)
        return
    for s in schedulers:
        if s.end == old:
            s.end = new
