"""The world's two views (SSIW's world) and UnifiedDataset over them: each
sample's labels in the unified classes, what its dataset can say beside."""
import os.path as osp

import numpy as np
import pytest
import torch
from mmengine.registry import init_default_scope
from mmseg.registry import DATASETS
from PIL import Image

from vlkd_seg.datasets import WORLD_CLASSES, UnifiedDataset
from vlkd_seg.datasets.world_views import (WORLD_VIEWS, view_labels,
                                           write_world_views)
from vlkd_seg.utils import iter_datasets, load_config
from vlkd_seg.utils.errors import ConfigError

CONFIG = osp.join(
    osp.dirname(__file__), '..', '..', 'configs', '_base_', 'datasets',
    'synthetic_world_views.py')


def test_each_view_labels_the_other_views_objects_as_background():
    b = view_labels('b')
    names = WORLD_VIEWS['b']
    for value, name in enumerate(WORLD_CLASSES):
        own = 'hoop' if name == 'ring' else name
        assert b[value] == (names.index(own) if own in names else 0)
    assert b[255] == 255


@pytest.fixture(scope='module')
def unified(tiny_world):
    init_default_scope('mmseg')
    write_world_views(tiny_world)
    cfg = load_config(CONFIG)
    for _, dataset, _ in iter_datasets(cfg):
        dataset.data_root = tiny_world
    return DATASETS.build(cfg.train_dataloader.dataset)


def test_the_views_split_the_training_scenes(tiny_world, unified):
    a = open(osp.join(tiny_world, 'views', 'a', 'train.txt')).read().split()
    b = open(osp.join(tiny_world, 'views', 'b', 'train.txt')).read().split()
    assert len(a) == len(b) == 8 and not set(a) & set(b)
    assert len(unified) == 16
    val = open(osp.join(tiny_world, 'views', 'a', 'val.txt')).read().split()
    assert len(val) == 8  # every validation scene, labelled a's way
    write_world_views(tiny_world)  # a second call writes nothing


def test_samples_carry_unified_labels_and_their_label_space(
        tiny_world, unified):
    assert unified.metainfo['classes'] == tuple(WORLD_CLASSES)
    for idx in (0, 3, 8, 15):
        view = 'a' if idx < 8 else 'b'
        sample = unified[idx]['data_samples']
        name = osp.basename(sample.img_path)
        world = np.asarray(
            Image.open(osp.join(tiny_world, 'ann_dir', 'train', name)))
        kept = [
            WORLD_CLASSES.index(n if n != 'hoop' else 'ring')
            for n in WORLD_VIEWS[view]
        ]
        expected = np.where(np.isin(world, kept), world, 0)
        labels = sample.gt_sem_seg.data[0].numpy()
        if sample.flip:
            labels = labels[:, ::-1]
        assert np.array_equal(labels, expected), (idx, view)
        assert sample.dataset_name == view
        assert sample.label_space == sorted(kept)
        assert sample.silent_labels == [0]


def test_the_merge_table_names_each_datasets_class(unified):
    table = unified.metainfo['label_spaces']
    assert table[4] == dict(name='ring', sources=dict(a='ring', b='hoop'))
    assert table[6] == dict(name='star', sources=dict(b='star'))


@pytest.mark.parametrize('entry, match', [
    (dict(name='a', silent=['sky']), "silent label 'sky' of dataset 'a'"),
    (dict(name='a', oops=1), r'must be dict\(name=...'),
])
def test_bad_entries_are_refused(tiny_world, unified, entry, match):
    dataset = unified.datasets[0]
    with pytest.raises(ConfigError, match=match):
        UnifiedDataset([dict(dict(dataset=dataset), **entry)])


def test_dataset_names_must_differ(unified):
    dataset = unified.datasets[0]
    with pytest.raises(ConfigError, match='repeat'):
        UnifiedDataset(
            [dict(name='a', dataset=dataset),
             dict(name='a', dataset=dataset)])
    assert torch.is_tensor(unified[0]['inputs'])
