"""5-shot OOD fine-tuning of a distilled student (Li et al., 2023).

    python tools/li2023_few_shot.py CONFIG STAGE1_WORK_DIR [--work-dir DIR]
        [--shots 5] [--pick first] [--seed 0] [--schedule FILE]
        [--cfg-options ...] [--shot-options ...]

CONFIG is the distillation recipe the student was trained with; its newest
checkpoint in STAGE1_WORK_DIR is fine-tuned on X_train plus 5 images of
every OOD class (vlkd_seg.classification.few_shot_config), and tested on
the other OOD images. The third number of Table 1, the OOD accuracy averaged
over the last 5 validations, lands in DIR/last_evaluations.json
(DIR defaults to STAGE1_WORK_DIR/fewshot5, the authors' layout).
``--cfg-options`` change the recipe, as for tools/train.py (data paths,
teacher); ``--shot-options`` change the fine-tuning config made from it.
"""
import argparse
import os.path as osp

from mmengine.config import DictAction
from mmengine.runner import Runner

from vlkd_seg.classification import few_shot_config
from vlkd_seg.utils import (MissingFileError, finish_run_config, load_config,
                            resume_checkpoint, user_errors)
from vlkd_seg.utils.cli import at_least
from vlkd_seg.utils.config_checks import apply_cfg_options


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config', help='the distillation recipe')
    parser.add_argument('stage1', help='work dir of the distillation run')
    parser.add_argument('--work-dir', help='defaults to STAGE1/fewshot5')
    parser.add_argument('--shots', type=at_least(1), default=5)
    parser.add_argument(
        '--pick',
        choices=('first', 'random'),
        default='first',
        help='images per OOD class: the first --shots sorted paths (the '
        'authors\' release) or a draw seeded by --seed')
    parser.add_argument(
        '--seed',
        type=at_least(0),
        default=0,
        help='seed of the sampler (and of --pick random)')
    parser.add_argument(
        '--schedule',
        help='config with the stage\'s optim_wrapper, '
        'param_scheduler, train_cfg (default: the authors\')')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='overrides of the recipe, as for tools/train.py')
    parser.add_argument(
        '--shot-options',
        nargs='+',
        action=DictAction,
        help='overrides of the fine-tuning config, e.g. '
        'param_scheduler.0.eta_max=0.003')
    parser.add_argument('--debug', action='store_true')
    return parser.parse_args(argv)


def build_config(args):
    """The fine-tuning config of ``args``."""
    checkpoint = resume_checkpoint(args.stage1)
    if checkpoint is None:
        raise MissingFileError(f'no checkpoint in {args.stage1}: train the '
                               f'recipe first (tools/train.py {args.config})')
    cfg = few_shot_config(
        load_config(args.config, args.cfg_options), checkpoint, args.schedule,
        args.shots, args.seed, args.pick)
    apply_cfg_options(cfg, args.shot_options, 'the 5-shot config')
    cfg.work_dir = args.work_dir or osp.join(args.stage1,
                                             f'fewshot{args.shots}')
    cfg.launcher = 'none'
    return finish_run_config(cfg, ('train_dataloader', 'val_dataloader'),
                             'none')


def main(argv=None):
    args = parse_args(argv)
    with user_errors(args.debug):
        runner = Runner.from_cfg(build_config(args))
        runner.train()
    return runner


if __name__ == '__main__':
    main()
