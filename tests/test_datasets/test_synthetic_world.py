import json
import os.path as osp

import numpy as np
import pytest
from mmengine.registry import init_default_scope

from vlkd_seg.datasets import (WORLD_CLASSES, SyntheticWorldDataset,
                               generate_world, make_scene)
from vlkd_seg.datasets.world_scenes import caption
from vlkd_seg.utils.errors import ConfigError


def test_scenes_are_deterministic_and_labelled():
    image_a, label_a = make_scene(3)
    image_b, label_b = make_scene(3)
    assert image_a.shape == (64, 64, 3) and label_a.shape == (64, 64)
    assert np.array_equal(image_a, image_b)
    assert np.array_equal(label_a, label_b)
    assert not np.array_equal(make_scene(4)[1], label_a)
    present = set(np.unique(label_a)) - {0}
    assert 1 <= len(present) <= 3
    assert present <= set(range(1, len(WORLD_CLASSES)))


def test_caption_names_the_objects_present():
    label = np.zeros((16, 16), np.uint8)
    label[:4, :4] = WORLD_CLASSES.index('star')
    label[8:12, 8:12] = WORLD_CLASSES.index('disc')
    assert caption(label) == 'a photo of a disc and a star.'


def test_dataset_reads_the_generated_world(tiny_world):
    init_default_scope('mmseg')
    dataset = SyntheticWorldDataset(
        data_root=tiny_world,
        data_prefix=dict(img_path='img_dir/val', seg_map_path='ann_dir/val'),
        pipeline=[
            dict(type='LoadImageFromFile'),
            dict(type='LoadAnnotations'),
            dict(type='PackSegInputs')
        ])
    assert len(dataset) == 8
    sample = dataset[0]
    labels = sample['data_samples'].gt_sem_seg.data
    assert labels.shape == (1, 64, 64)
    assert int(labels.max()) < len(WORLD_CLASSES)
    with open(osp.join(tiny_world, 'captions', 'val.json')) as f:
        assert len(json.load(f)) == 8


def test_generation_is_skipped_when_done_and_refuses_other_settings(
        tiny_world):
    assert generate_world(tiny_world, dict(train=16, val=8)) == tiny_world
    with pytest.raises(
            ConfigError,
            match=r"other settings: splits \{'train': 16, 'val': 8\} "
            r"\(asked \{'train': 17, 'val': 8\}\); delete the folder"):
        generate_world(tiny_world, dict(train=17, val=8))


def test_missing_world_says_how_to_make_it(tmp_path):
    init_default_scope('mmseg')
    with pytest.raises(FileNotFoundError, match='tools/generate_world.py'):
        SyntheticWorldDataset(
            data_root=str(tmp_path / 'none'),
            data_prefix=dict(
                img_path='img_dir/val', seg_map_path='ann_dir/val'))
