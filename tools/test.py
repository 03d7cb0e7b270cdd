"""Evaluate a checkpoint: ``python tools/test.py CONFIG [CHECKPOINT]``.

Same interface as mmsegmentation's ``tools/test.py``. The checkpoint is
loaded strictly (every weight of the model, none of another); only
training-free models (MaskCLIP) test without one. A mistake in the input is
one ``error: ...`` line (``--debug`` shows its traceback).
"""
import argparse
import os
import os.path as osp

from mmengine.config import DictAction
from mmengine.model import BaseTTAModel, is_model_wrapper
from mmengine.runner import Runner

from vlkd_seg.utils import (TRAINING_FREE, ConfigError, MissingFileError,
                            finish_run_config, load_run_config,
                            load_trained_weights, needs_checkpoint,
                            teardown_distributed, user_errors)
from vlkd_seg.utils.io import make_output_dir


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
    if args.checkpoint and not osp.isfile(args.checkpoint):
        what = ('is a folder: give the .pth file in it' if osp.isdir(
            args.checkpoint) else 'does not exist; train one with '
                'tools/train.py or check the path')
        raise MissingFileError(f'checkpoint {args.checkpoint} {what}.')
    cfg = load_run_config(args)
    args.checkpoint = args.checkpoint or cfg.get('load_from')
    model_type = cfg.model.get('type')
    if not args.checkpoint and needs_checkpoint(cfg.model):
        raise ConfigError(
            f'the model of {args.config} ({model_type}) gets its weights '
            'from training: pass its CHECKPOINT (tools/train.py writes '
            f'{cfg.work_dir}/iter_N.pth); only training-free models '
            f'({", ".join(TRAINING_FREE)}) and models with published '
            'weights (CLIPSeg weights=) test without one.')
    cfg.load_from = None  # loaded strictly by load_trained_weights
    if args.show_dir:
        make_output_dir(args.show_dir, '--show-dir')
        hook = cfg.default_hooks.visualization
        hook.update(draw=True, interval=1, show=False)
        cfg.visualizer.save_dir = args.show_dir
    if args.tta:
        use_tta(cfg, args.config)
    if cfg.test_evaluator.get('type') == 'ZeroShotIoUMetric':
        cfg.test_evaluator.setdefault(
            'per_class_file', osp.join(cfg.work_dir, 'per_class_iou.json'))
    if args.out is not None:
        writer = dict(
            type='LabelMapWriter',
            output_dir=make_output_dir(args.out, '--out'))
        evaluators = cfg.test_evaluator
        cfg.test_evaluator = (list(evaluators) if isinstance(
            evaluators, (list, tuple)) else [evaluators]) + [writer]
    return finish_run_config(cfg, ('test_dataloader', ), args.launcher)


def use_tta(cfg, config: str) -> None:
    """Test with the config's test-time augmentation."""
    if not cfg.get('tta_pipeline'):
        raise ConfigError(
            f'--tta: {config} defines no tta_pipeline; add one (and '
            "tta_model = dict(type='SegTTAModel')) as mmseg's dataset "
            'configs do, or drop --tta.')
    cfg.test_dataloader.dataset.pipeline = cfg.tta_pipeline
    cfg.tta_model.module = cfg.model
    cfg.model = cfg.tta_model


def _trained_part(model):
    """The model the checkpoint holds, inside DDP and TTA wrappers."""
    if is_model_wrapper(model):
        model = model.module
    return model.module if isinstance(model, BaseTTAModel) else model


def main(argv=None):
    args = parse_args(argv)
    with user_errors(args.debug):
        cfg = build_config(args)
        runner = Runner.from_cfg(cfg)
        if args.checkpoint:
            load_trained_weights(_trained_part(runner.model), args.checkpoint)
        metrics = runner.test()
    teardown_distributed()
    return metrics


if __name__ == '__main__':
    main()
