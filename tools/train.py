"""Train a segmentor: ``python tools/train.py CONFIG [--work-dir DIR]``.

Same interface as mmsegmentation's ``tools/train.py``; on machines without a
GPU it trains on the CPU, and ``tools/dist_train.sh`` uses ``gloo``. A
mistake in the input is one ``error: ...`` line (``--debug`` shows its
traceback).
"""
import argparse
import logging
import os
import sys

from mmengine.config import DictAction
from mmengine.logging import print_log
from mmengine.runner import Runner

from vlkd_seg.utils import (TRAINING_FREE, ConfigError, finish_run_config,
                            load_run_config, resume_checkpoint,
                            teardown_distributed, user_errors)
from vlkd_seg.utils.resume_checks import check_resume_config
from vlkd_seg.utils.work_dir_lock import work_dir_lock


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Train a segmentor')
    parser.add_argument('config', help='train config file path')
    parser.add_argument('--work-dir', help='the dir to save logs and models')
    parser.add_argument(
        '--resume',
        action='store_true',
        default=False,
        help='resume from the latest checkpoint in the work_dir')
    parser.add_argument(
        '--amp',
        action='store_true',
        default=False,
        help='enable automatic-mixed-precision training')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override existing settings, e.g. train_cfg.max_iters=2')
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='job launcher')
    parser.add_argument(
        '--debug',
        action='store_true',
        help='show the traceback of input errors too')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args(argv)
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    return args


def build_config(args):
    """The config of this run, with the command line applied and checked."""
    cfg = load_run_config(args)
    model_type = (cfg.get('model') or {}).get('type')
    if model_type in TRAINING_FREE or not cfg.get('train_dataloader'):
        raise ConfigError(
            f'{args.config} has nothing to train ({model_type} is '
            'training-free or the config has no train_dataloader): evaluate '
            'it with tools/test.py, or train a student config (configs/kd/).')
    if args.amp:
        if cfg.optim_wrapper.get('type', 'OptimWrapper') == 'AmpOptimWrapper':
            print_log(
                'AMP training is already enabled in your config.',
                logger='current',
                level=logging.WARNING)
        else:
            cfg.optim_wrapper.type = 'AmpOptimWrapper'
            cfg.optim_wrapper.loss_scale = 'dynamic'
    if args.resume:
        resume_from(cfg)
    loaders = ('train_dataloader', ) + (
        ('val_dataloader', ) if cfg.get('val_cfg') else ())
    return finish_run_config(cfg, loaders, args.launcher)


def resume_from(cfg) -> None:
    """Resume from the newest complete checkpoint of the work dir, or say in
    one line that there is none and training starts from iteration 0."""
    checkpoint = resume_checkpoint(cfg.work_dir)
    if checkpoint is None:
        print(
            f'warning: --resume: no checkpoint in {cfg.work_dir}; training '
            'starts from iteration 0',
            file=sys.stderr)
        return
    check_resume_config(cfg, checkpoint)
    print(f'resuming from {checkpoint}', file=sys.stderr)
    cfg.load_from = checkpoint
    cfg.resume = True


def main(argv=None):
    args = parse_args(argv)
    with user_errors(args.debug):
        cfg = build_config(args)
        with work_dir_lock(cfg.work_dir):
            runner = Runner.from_cfg(cfg)
            runner.train()
    teardown_distributed()


if __name__ == '__main__':
    main()
