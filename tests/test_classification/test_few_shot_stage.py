import copy
import os.path as osp

import numpy as np
import pytest
import torch
from mmengine.optim import build_optim_wrapper
from mmengine.registry import PARAM_SCHEDULERS
from torch import nn

from vlkd_seg.classification import few_shot_config
from vlkd_seg.utils import load_config
from ..conftest import REPO


def _recipe(name):
    return load_config(osp.join(REPO, 'configs', 'vlkd_cls', name))


def test_few_shot_stage_of_a_recipe_is_the_authors_fine_tuning():
    recipe = _recipe('vlkd-cls_r18_vit-l14_li2023-cub.py')
    cfg = few_shot_config(recipe, 'stage1/epoch_450.pth', seed=3)
    train = cfg.train_dataloader
    assert train.dataset.type == 'FewShotMixDataset'
    assert (train.dataset.shots, train.dataset.seed) == (5, 3)
    # the few-shot images come from the OOD test images of the same lists
    assert train.dataset.base.part == 'train'
    assert (train.dataset.shots_from.part,
            train.dataset.shots_from.subset) == ('test', 'ood')
    assert train.dataset.shots_from.pipeline == train.dataset.base.pipeline
    assert train.sampler == dict(
        type='FewShotMixSampler', batch_size=128, seed=3)
    for loader in ('val_dataloader', 'test_dataloader'):
        assert cfg[loader].dataset.exclude_few_shot == dict(shots=5, seed=3)
    assert cfg.model.train_subset == 'all'
    # 450-epoch distillation: 20 x 5 epochs of one-cycle SGD, peak 0.001
    assert cfg.param_scheduler[0].type == 'OneCycleLR'
    assert cfg.param_scheduler[0].eta_max == 0.001
    assert cfg.train_cfg.max_epochs == 100
    assert cfg.optim_wrapper.optimizer.type == 'SGD'
    assert cfg.load_from == 'stage1/epoch_450.pth'
    # the recipe itself is left as it was
    assert recipe.train_dataloader.dataset.type == 'ClassSplitDataset'
    food = few_shot_config(
        _recipe('vlkd-cls_r18_vit-l14_li2023-food101.py'), 'x.pth')
    assert food.train_cfg.max_epochs == 20


@pytest.mark.parametrize(
    'schedule', ['cls_li2023_5shot_20e.py', 'cls_li2023_5shot_100e.py'])
def test_one_cycle_lr_and_momentum_are_torchs(schedule):
    """The stage's lr and SGD momentum, epoch by epoch, equal those of
    torch's OneCycleLR (cycle_momentum=True) that the authors step."""
    cfg = load_config(
        osp.join(REPO, 'configs', '_base_', 'schedules', schedule))
    steps = cfg.train_cfg.max_epochs
    ours = _trace(cfg, steps)
    ref = torch.optim.SGD([nn.Parameter(torch.zeros(1))], lr=0.001)
    sched = torch.optim.lr_scheduler.OneCycleLR(
        ref, max_lr=cfg.param_scheduler[0].eta_max, total_steps=steps)
    theirs = []
    for _ in range(steps):
        theirs.append(
            (ref.param_groups[0]['lr'], ref.param_groups[0]['momentum']))
        ref.step()
        sched.step()
    np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-9)


def _trace(cfg, steps):
    """(lr, momentum) of each epoch under ``cfg``'s optimiser and
    schedulers."""
    wrapper = build_optim_wrapper(
        nn.Linear(1, 1), copy.deepcopy(cfg.optim_wrapper))
    schedulers = [
        PARAM_SCHEDULERS.build(dict(s, optimizer=wrapper))
        for s in copy.deepcopy(cfg.param_scheduler)
    ]
    trace = []
    for _ in range(steps):
        group = wrapper.param_groups[0]
        trace.append((group['lr'], group['momentum']))
        for scheduler in schedulers:
            scheduler.step()
    return trace


def test_the_release_pick_is_the_first_sorted_paths_of_each_class():
    from vlkd_seg.classification.few_shot import pick_few_shot
    infos = [
        dict(img_path=f'c{c}/{name}.jpg', gt_label=c) for c in (0, 1)
        for name in ('e', 'a', 'd', 'c', 'b', 'f', 'g')
    ]
    picked = [infos[i]['img_path'] for i in pick_few_shot(infos, [1], 5, None)]
    assert sorted(picked) == [f'c1/{n}.jpg' for n in 'abcde']
    assert pick_few_shot(infos, [1], 5,
                         0) != pick_few_shot(infos, [1], 5, None)
    recipe = _recipe('vlkd-cls_r18_vit-l14_li2023-cub.py')
    cfg = few_shot_config(recipe, 'x.pth', seed=3, pick='first')
    assert cfg.train_dataloader.dataset.seed is None
    assert cfg.train_dataloader.sampler.seed == 3
    assert cfg.test_dataloader.dataset.exclude_few_shot == dict(
        shots=5, seed=None)


def test_li2023_students_keep_their_residual_init():
    """The authors' torchvision ResNet-18 does not zero-initialise the last
    BN of each block (mmpretrain's default does)."""
    recipe = _recipe('vlkd-cls_r18_vit-l14_li2023-cub.py')
    assert recipe.model.backbone.zero_init_residual is False
