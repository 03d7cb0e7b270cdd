"""Every dataset base config builds its dataset over a fake tree."""
import os
import os.path as osp

import numpy as np
import pytest
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmseg.registry import DATASETS
from PIL import Image

from vlkd_seg.datasets import UNLABELED_INDEX, load_class_names
from ..conftest import REPO

DATASET_CONFIGS = ['pascal_voc12_aug', 'pascal_context', 'pascal_context_59',
                   'coco-stuff164k', 'ade20k', 'synthetic_world']


def _load(name):
    return Config.fromfile(
        osp.join(REPO, 'configs', '_base_', 'datasets', name + '.py'))


def _fake_tree(root, dataset_cfg, num_classes, names=('a1', 'b2')):
    """Write two 64x80 images with labels that use every class."""
    prefix = dataset_cfg['data_prefix']
    for folder in prefix.values():
        os.makedirs(osp.join(root, folder), exist_ok=True)
    if dataset_cfg.get('ann_file'):
        ann = osp.join(root, dataset_cfg['ann_file'])
        os.makedirs(osp.dirname(ann), exist_ok=True)
        with open(ann, 'w') as f:
            f.write('\n'.join(names) + '\n')
    probe = DATASETS.get(dataset_cfg['type'])(**{
        k: v
        for k, v in dict(dataset_cfg, data_root=str(root), lazy_init=True,
                         pipeline=[]).items() if k != 'type'
    })
    rng = np.random.default_rng(0)
    for name in names:
        img = rng.integers(0, 255, (64, 80, 3), dtype=np.uint8)
        Image.fromarray(img).save(
            osp.join(root, prefix['img_path'], name + probe.img_suffix))
        # raw label values: reduce_zero_label datasets store class + 1
        offset = 1 if probe.reduce_zero_label else 0
        seg = (np.arange(64 * 80) % num_classes + offset).reshape(64, 80)
        Image.fromarray(seg.astype(np.uint8)).save(
            osp.join(root, prefix['seg_map_path'],
                     name + probe.seg_map_suffix))


@pytest.mark.parametrize('name', DATASET_CONFIGS)
def test_dataset_config_builds_in_three_settings(name, tmp_path):
    init_default_scope('mmseg')
    cfg = _load(name)
    classes = DATASETS.get(cfg.dataset_type).METAINFO['classes']
    assert len(load_class_names(cfg.class_names)) == len(classes)
    assert all(0 <= i < len(classes) for i in cfg.unseen_idx)
    _fake_tree(tmp_path, cfg.train_dataloader.dataset, len(classes))
    for split in ('train_dataloader', 'val_dataloader'):
        _fake_tree(tmp_path, cfg[split].dataset, len(classes))
    for pipeline, hidden in (('train_pipeline', []),
                             ('zero_shot_train_pipeline', cfg.unseen_idx),
                             ('annotation_free_train_pipeline', 'all')):
        dataset_cfg = dict(cfg.train_dataloader.dataset, data_root=str(
            tmp_path), pipeline=[
                p for p in cfg[pipeline]
                if p['type'] not in ('RandomResize', 'RandomCrop',
                                     'PhotoMetricDistortion')
            ])
        dataset = DATASETS.build(dataset_cfg)
        assert len(dataset) == 2
        labels = np.unique(dataset[0]['data_samples'].gt_sem_seg.data)
        if hidden == 'all':
            assert set(labels) <= {UNLABELED_INDEX, 255}
        else:
            assert not set(labels) & set(hidden)
            assert (UNLABELED_INDEX in labels) == bool(hidden)
    val = DATASETS.build(dict(cfg.val_dataloader.dataset,
                              data_root=str(tmp_path)))
    assert len(val) == 2
    assert cfg.val_evaluator.type == 'ZeroShotIoUMetric'
