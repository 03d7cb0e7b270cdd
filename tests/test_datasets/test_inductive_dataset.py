import os.path as osp

import numpy as np
import pytest
from mmengine.registry import init_default_scope
from mmseg.registry import DATASETS
from PIL import Image

from vlkd_seg.utils import UserError

UNSEEN = [2, 4, 7]


def _world(root, **kwargs):
    return dict(
        type='SyntheticWorldDataset',
        data_root=root,
        data_prefix=dict(
            img_path='img_dir/train', seg_map_path='ann_dir/train'),
        pipeline=[dict(type='LoadAnnotations')],
        **kwargs)


def _classes(path):
    return set(np.unique(np.asarray(Image.open(path))).tolist())


def test_only_images_without_an_unseen_pixel_are_kept(tiny_world):
    init_default_scope('mmseg')
    world = DATASETS.build(_world(tiny_world))
    inductive = DATASETS.build(
        dict(
            type='InductiveDataset',
            dataset=_world(tiny_world, metainfo=dict(unseen_idx=UNSEEN))))
    free = [
        i for i in range(len(world))
        if not _classes(world.get_data_info(i)['seg_map_path'])
        & set(UNSEEN)
    ]
    assert 0 < len(inductive) == len(free) < len(world)
    for i in range(len(inductive)):
        labels = inductive[i]['gt_seg_map']
        assert not np.isin(labels, UNSEEN).any()
        assert osp.basename(inductive.get_data_info(i)['seg_map_path']) == \
            osp.basename(world.get_data_info(free[i])['seg_map_path'])
    assert inductive.metainfo['unseen_idx'] == UNSEEN


def test_no_split_or_no_image_left_is_a_clear_error(tiny_world):
    init_default_scope('mmseg')
    with pytest.raises(UserError, match='needs the unseen classes'):
        DATASETS.build(
            dict(type='InductiveDataset', dataset=_world(tiny_world)))
    with pytest.raises(UserError, match='no image is left'):
        DATASETS.build(
            dict(
                type='InductiveDataset',
                dataset=_world(tiny_world),
                unseen_idx=[0]))  # background: in every scene
