"""Every packaged recipe means what it says through mmengine's own
``Config.fromfile``: each part that needs class names, a split, a class
split or a data root has it in the file, no placeholder left to fill."""
import glob
import os.path as osp

import pytest
from mmengine.config import Config

from vlkd_seg.utils import iter_datasets
from ..conftest import REPO, find_configs

RECIPES = sorted(
    p for p in glob.glob(
        osp.join(REPO, 'configs', '**', '*.py'), recursive=True)
    if '_base_' not in osp.relpath(p, REPO).split(osp.sep))
#: type -> the arguments it cannot do without
NEEDS = dict(
    PseudoLabelDistiller=('class_names', 'unseen_idx'),
    MaskCLIPSegmentor=('class_names', ),
    ZegCLIP=('class_names', 'unseen_idx'),
    CLIPSeg=('class_names', ),
    VLDistillClassifier=('class_split', ),
    ClassSplitDataset=('class_split', ),
    VLDistillMetric=('class_split', ))


def test_every_recipe_is_found():
    assert len(RECIPES) >= 50


@pytest.mark.parametrize(
    'path', RECIPES, ids=lambda p: osp.relpath(p, REPO + '/configs'))
def test_the_plain_config_gives_every_part_its_values(path):
    cfg = Config.fromfile(path)
    parts = [
        cfg.get(k) for k in ('model', 'train_dataloader', 'val_dataloader',
                             'test_dataloader', 'val_evaluator',
                             'test_evaluator')
    ]
    for type_name, keys in NEEDS.items():
        for node in find_configs(parts, type_name):
            missing = [k for k in keys if node.get(k) is None]
            assert not missing, (type_name, missing)
    for _, dataset, key in iter_datasets(cfg):
        assert dataset.get('data_root') is not None, key
    # a segmentation split lives with the data (the metric reads it from
    # dataset_meta) and agrees with the model's, where the model has one
    unseen = {
        key: dataset.metainfo.unseen_idx
        for _, dataset, key in iter_datasets(cfg)
        if (dataset.get('metainfo') or {}).get('unseen_idx') is not None
    }
    if any(find_configs(parts, 'ZeroShotIoUMetric')):
        assert unseen, 'ZeroShotIoUMetric without a dataset split'
    model_split = (cfg.get('model') or {}).get('unseen_idx')
    if model_split not in (None, 'all', []):
        assert all(v == model_split for v in unseen.values())
