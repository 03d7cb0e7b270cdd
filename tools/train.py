"""Train a segmentor: ``python tools/train.py CONFIG [--work-dir DIR]``.

Same interface as mmsegmentation's ``tools/train.py``; on machines without a
GPU it trains on the CPU, and ``tools/dist_train.sh`` uses ``gloo``.
"""
import argparse
import logging
import os
import os.path as osp
import sys

from mmengine.config import DictAction
from mmengine.logging import print_log
from mmengine.runner import Runner

from vlkd_seg.utils import (UserError, check_data_roots, check_weight_files,
                            check_zero_shot_setup, load_config, setup_device)


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
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args(argv)
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    return args


def build_config(args):
    """The config of this run, with the command line applied and checked."""
    cfg = load_config(args.config, args.cfg_options)
    cfg.launcher = args.launcher
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir') is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(args.config))[0])
    if args.amp:
        if cfg.optim_wrapper.get('type', 'OptimWrapper') == 'AmpOptimWrapper':
            print_log('AMP training is already enabled in your config.',
                      logger='current', level=logging.WARNING)
        else:
            cfg.optim_wrapper.type = 'AmpOptimWrapper'
            cfg.optim_wrapper.loss_scale = 'dynamic'
    cfg.resume = args.resume
    loaders = ('train_dataloader', ) + (
        ('val_dataloader', ) if cfg.get('val_cfg') else ())
    check_data_roots(cfg, loaders)
    check_zero_shot_setup(cfg)
    check_weight_files(cfg)
    setup_device(cfg, args.launcher)
    return cfg


def main(argv=None):
    args = parse_args(argv)
    try:
        cfg = build_config(args)
    except UserError as err:
        sys.exit(f'error: {err}')
    runner = Runner.from_cfg(cfg)
    runner.train()


if __name__ == '__main__':
    main()
