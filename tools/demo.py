"""The embedded demo behind ``make demo``.

Generates the synthetic world (once, cached), trains a small mmseg FCN on it
for a short schedule on this machine and prints the per-class IoU table and
mIoU of the final model on the validation scenes.
"""
import argparse
import os.path as osp
import sys

from mmengine.runner import Runner

from vlkd_seg.datasets import generate_world
from vlkd_seg.utils import UserError, load_config, setup_device

CONFIG = osp.join(osp.dirname(__file__), '..', 'configs', 'demo',
                  'fcn_r18-tiny_synthetic-world.py')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--work-dir', default='work_dirs/demo')
    parser.add_argument('--iters', type=int, default=1000,
                        help='training iterations')
    parser.add_argument('--train-scenes', type=int, default=2000)
    parser.add_argument('--val-scenes', type=int, default=200)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    try:
        cfg = load_config(CONFIG)
    except UserError as err:
        sys.exit(f'error: {err}')
    root = osp.expanduser(cfg.train_dataloader.dataset.data_root)
    generate_world(root, dict(train=args.train_scenes, val=args.val_scenes))
    cfg.work_dir = args.work_dir
    cfg.train_cfg.max_iters = args.iters
    cfg.train_cfg.val_interval = args.iters
    cfg.param_scheduler[0].end = args.iters
    cfg.default_hooks.checkpoint.interval = args.iters
    setup_device(cfg, 'none')
    runner = Runner.from_cfg(cfg)
    runner.train()
    metrics = runner.test()
    print(f'\n[demo] tiny FCN, {args.iters} iterations, '
          f'{args.val_scenes} validation scenes: mIoU {metrics["mIoU"]:.2f}, '
          f'aAcc {metrics["aAcc"]:.2f}  (per-class table above; logs and '
          f'checkpoint in {args.work_dir})')


if __name__ == '__main__':
    main()
