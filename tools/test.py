"""Evaluate a checkpoint: ``python tools/test.py CONFIG CHECKPOINT``.

Same interface as mmsegmentation's ``tools/test.py``.
"""
import argparse
import os
import os.path as osp
import sys

from mmengine.config import DictAction
from mmengine.runner import Runner

from vlkd_seg.utils import (UserError, finish_run_config, load_run_config,
                            teardown_distributed)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Test (and eval) a model')
    parser.add_argument('config', help='test config file path')
    parser.add_argument(
        'checkpoint',
        nargs='?',
        help='checkpoint file; omit it for training-free models (MaskCLIP)')
    parser.add_argument('--work-dir', help='the dir to save logs and metrics')
    parser.add_argument('--out', help='dir to save the predicted label maps')
    parser.add_argument('--show-dir', help='dir to save painted images')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override existing settings, e.g. test_dataloader.batch_size=1')
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='job launcher')
    parser.add_argument('--tta', action='store_true', help='Test time aug')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args(argv)
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    return args


def build_config(args):
    """The config of this run, with the command line applied and checked."""
    if args.checkpoint and not osp.isfile(args.checkpoint):
        raise UserError(f'checkpoint {args.checkpoint} does not exist; '
                        'train one with tools/train.py or check the path.')
    cfg = load_run_config(args)
    cfg.load_from = args.checkpoint
    if args.show_dir:
        hook = cfg.default_hooks.visualization
        hook.update(draw=True, interval=1, show=False)
        cfg.visualizer.save_dir = args.show_dir
    if args.tta:
        cfg.test_dataloader.dataset.pipeline = cfg.tta_pipeline
        cfg.tta_model.module = cfg.model
        cfg.model = cfg.tta_model
    if cfg.test_evaluator.get('type') == 'ZeroShotIoUMetric':
        cfg.test_evaluator.setdefault(
            'per_class_file', osp.join(cfg.work_dir, 'per_class_iou.json'))
    if args.out is not None:
        cfg.test_evaluator['output_dir'] = args.out
        cfg.test_evaluator['keep_results'] = True
    return finish_run_config(cfg, ('test_dataloader', ), args.launcher)


def main(argv=None):
    args = parse_args(argv)
    try:
        cfg = build_config(args)
    except UserError as err:
        sys.exit(f'error: {err}')
    runner = Runner.from_cfg(cfg)
    metrics = runner.test()
    teardown_distributed()
    return metrics


if __name__ == '__main__':
    main()
