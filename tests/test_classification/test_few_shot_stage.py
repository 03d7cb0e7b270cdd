import os.path as osp

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
