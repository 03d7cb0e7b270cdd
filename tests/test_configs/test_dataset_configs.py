"""Every segmentation dataset base builds its datasets over a fake tree,
with the split in their metainfo, read as mmengine reads it."""
import os.path as osp

import pytest
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.utils import get_installed_path
from mmseg.registry import DATASETS, METRICS

from vlkd_seg.utils import load_class_names
from ..conftest import REPO, make_fake_dataset

MMSEG_CONFIGS = osp.join(
    get_installed_path('mmsegmentation'), '.mim', 'configs')
DATASET_CONFIGS = [
    'pascal_voc12_aug', 'pascal_context', 'pascal_context_59',
    'coco-stuff164k', 'ade20k', 'synthetic_world'
]


@pytest.mark.parametrize('name', DATASET_CONFIGS)
def test_dataset_config_builds_with_its_split(name, tmp_path):
    init_default_scope('mmseg')
    cfg = Config.fromfile(
        osp.join(REPO, 'configs', '_base_', 'datasets', name + '.py'))
    classes = DATASETS.get(
        cfg.train_dataloader.dataset.type).METAINFO['classes']
    assert len(load_class_names(cfg.class_names)) == len(classes)
    assert all(0 <= i < len(classes) for i in cfg.unseen_idx)
    for loader in ('train_dataloader', 'val_dataloader'):
        make_fake_dataset(tmp_path, cfg[loader].dataset, len(classes))
        dataset = DATASETS.build(
            dict(cfg[loader].dataset, data_root=str(tmp_path)))
        assert len(dataset) == 2
        assert dataset.metainfo['unseen_idx'] == cfg.unseen_idx
    # the metric takes the split from the dataset, as IoUMetric its classes
    metric = METRICS.build(cfg.val_evaluator)
    metric.dataset_meta = dataset.metainfo
    assert metric.unseen_idx == cfg.unseen_idx


def test_the_bases_that_mmseg_has_are_mmsegs():
    """A dataset base of mmseg's adds the split and the metric, nothing
    else (mmseg's pipelines, roots and loaders)."""
    for name in ('ade20k', 'coco-stuff164k', 'pascal_context',
                 'pascal_context_59'):
        ours = Config.fromfile(
            osp.join(REPO, 'configs', '_base_', 'datasets', name + '.py'))
        theirs = Config.fromfile(
            osp.join(MMSEG_CONFIGS, '_base_', 'datasets', name + '.py'))
        for loader in ('train_dataloader', 'val_dataloader'):
            dataset = dict(ours[loader].dataset)
            assert dataset.pop('metainfo') == dict(unseen_idx=ours.unseen_idx)
            dataset.pop('_scope_')  # mmengine marks a base of another package
            assert dataset == theirs[loader].dataset
        assert ours.train_dataloader.batch_size == \
            theirs.train_dataloader.batch_size
