"""Every dataset base config builds its dataset over a fake tree."""
import os.path as osp

import numpy as np
import pytest
from mmengine.registry import init_default_scope
from mmseg.registry import DATASETS

from vlkd_seg.datasets import UNLABELED_INDEX
from vlkd_seg.utils import load_class_names, load_config
from vlkd_seg.utils.recipe_keys import bind_recipe_keys
from ..conftest import REPO, make_fake_dataset

DATASET_CONFIGS = [
    'pascal_voc12_aug', 'pascal_context', 'pascal_context_59',
    'coco-stuff164k', 'ade20k', 'synthetic_world'
]


def _load(name):
    return load_config(
        osp.join(REPO, 'configs', '_base_', 'datasets', name + '.py'))


@pytest.mark.parametrize('name', DATASET_CONFIGS)
def test_dataset_config_builds_in_three_settings(name, tmp_path):
    init_default_scope('mmseg')
    cfg = _load(name)
    classes = DATASETS.get(cfg.dataset_type).METAINFO['classes']
    assert len(load_class_names(cfg.class_names)) == len(classes)
    assert all(0 <= i < len(classes) for i in cfg.unseen_idx)
    make_fake_dataset(tmp_path, cfg.train_dataloader.dataset, len(classes))
    for split in ('train_dataloader', 'val_dataloader'):
        make_fake_dataset(tmp_path, cfg[split].dataset, len(classes))
    for pipeline, hidden in (('train_pipeline', []),
                             ('zero_shot_train_pipeline', cfg.unseen_idx),
                             ('annotation_free_train_pipeline', 'all')):
        cfg.train_dataloader.dataset.pipeline = [
            p for p in cfg[pipeline] if p['type'] not in (
                'RandomResize', 'RandomCrop', 'PhotoMetricDistortion')
        ]
        # the recipe's unseen_idx reaches the pipeline a recipe picks
        dataset = DATASETS.build(
            dict(
                bind_recipe_keys(cfg).train_dataloader.dataset,
                data_root=str(tmp_path)))
        assert len(dataset) == 2
        labels = np.unique(dataset[0]['data_samples'].gt_sem_seg.data)
        if hidden == 'all':
            assert set(labels) <= {UNLABELED_INDEX, 255}
        else:
            assert not set(labels) & set(hidden)
            assert (UNLABELED_INDEX in labels) == bool(hidden)
    val = DATASETS.build(
        dict(cfg.val_dataloader.dataset, data_root=str(tmp_path)))
    assert len(val) == 2
    assert cfg.val_evaluator.type == 'ZeroShotIoUMetric'
