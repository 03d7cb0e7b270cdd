"""The 5-shot OOD stage of Li et al. (2023) as a change of a recipe.

From a distillation recipe, :func:`few_shot_config` makes the config of
its fine-tuning stage: the student of the recipe's last checkpoint trains
on X_train plus ``shots`` images of every OOD class (taken from the
recipe's OOD test images, the same draw everywhere), with those images in
every batch (:class:`FewShotMixSampler`), against the texts of all classes,
under a one-cycle schedule; it is tested on the rest of the test images.
The reported 5-shot number is its OOD accuracy averaged over the last 5
validations, as for the other two.
"""
import copy
import os.path as osp

from mmengine.config import Config

from vlkd_seg.utils import ConfigError, load_config

#: schedules of the stage, next to the distillation schedules
SCHEDULES = osp.join(
    osp.dirname(__file__), '..', '..', 'configs', '_base_', 'schedules')
_SCHEDULE_KEYS = ('optim_wrapper', 'param_scheduler', 'train_cfg')


def default_schedule(cfg: Config) -> str:
    """The authors' fine-tuning length for a recipe: 5 passes per epoch
    (100 epochs) after a 450-epoch distillation, else 20 epochs."""
    name = 'cls_li2023_5shot_100e.py' if cfg.train_cfg.get(
        'max_epochs', 0) >= 450 else 'cls_li2023_5shot_20e.py'
    return osp.normpath(osp.join(SCHEDULES, name))


def few_shot_config(cfg: Config,
                    checkpoint: str,
                    schedule: str = None,
                    shots: int = 5,
                    seed: int = 0,
                    pick: str = 'random') -> Config:
    """The 5-shot fine-tuning config of a distillation config.

    Args:
        cfg (Config): The distillation recipe (left unchanged).
        checkpoint (str): The distilled student to start from.
        schedule (str, optional): A config file holding the stage's
            ``optim_wrapper``, ``param_scheduler`` and ``train_cfg``;
            defaults to :func:`default_schedule`.
        shots (int): Images per OOD class.
        seed (int): Seed of the sampler and of a random draw.
        pick (str): Which images per OOD class: ``'first'``, the first
            ``shots`` sorted paths (the authors' release), or ``'random'``,
            a draw seeded by ``seed``.

    Returns:
        Config: The new config (``model.train_subset='all'``,
        ``load_from=checkpoint``).
    """
    if pick not in ('first', 'random'):
        raise ConfigError(f"pick must be 'first' or 'random', got {pick!r}")
    draw = None if pick == 'first' else seed
    cfg = copy.deepcopy(cfg)
    train = cfg.train_dataloader
    shots_from = copy.deepcopy(cfg.test_dataloader.dataset)
    shots_from.update(subset='ood', pipeline=train.dataset.pipeline)
    train.dataset = dict(
        type='FewShotMixDataset',
        base=train.dataset,
        shots_from=shots_from,
        shots=shots,
        seed=draw)
    train.sampler = dict(
        type='FewShotMixSampler', batch_size=train.batch_size, seed=seed)
    for loader in ('val_dataloader', 'test_dataloader'):
        if cfg.get(loader):
            cfg[loader].dataset.exclude_few_shot = dict(shots=shots, seed=draw)
    cfg.model.train_subset = 'all'
    stage = load_config(schedule or default_schedule(cfg))
    for key in _SCHEDULE_KEYS:
        cfg[key] = stage[key]
    cfg.load_from = checkpoint
    cfg.resume = False
    return cfg
