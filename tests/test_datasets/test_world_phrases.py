"""The embedded world's phrase files: inductive training phrases, one
validation phrase per scene and class, masks from the label maps."""
import json
import os.path as osp

import numpy as np
import pytest
from PIL import Image

from vlkd_seg.datasets.world_phrases import MIN_PIXELS, write_world_phrases
from vlkd_seg.datasets.world_scenes import WORLD_CLASSES
from vlkd_seg.utils.errors import ConfigError

UNSEEN = ['square', 'ring', 'diamond']


def _lines(folder, name):
    return [json.loads(s) for s in open(osp.join(folder, name + '.jsonl'))]


def _label(world, line):
    return np.asarray(Image.open(osp.join(world, line['mask'])))


def test_training_phrases_name_seen_objects_and_their_pairs(
        tiny_world, tmp_path):
    folder = write_world_phrases(tiny_world, UNSEEN)
    unseen_values = [WORLD_CLASSES.index(n) for n in UNSEEN]
    lines = _lines(folder, 'train')
    assert lines and all(line['mask'] for line in lines)
    for line in lines:
        label = _label(tiny_world, line)
        assert not np.isin(label, unseen_values).any()  # inductive
        names = [WORLD_CLASSES[v] for v in line['values']]
        assert line['phrase'] == ' and '.join(f'a {n}' for n in names)
        assert all((label == v).sum() >= MIN_PIXELS for v in line['values'])
    assert any(' and ' in line['phrase'] for line in lines)


def test_each_val_scene_is_asked_for_every_class_of_its_split(tiny_world):
    folder = write_world_phrases(tiny_world, UNSEEN)
    unseen = _lines(folder, 'val_unseen')
    assert len(unseen) == 8 * 3 and len(_lines(folder, 'val_seen')) == 8 * 5
    for line in unseen:
        value = WORLD_CLASSES.index(line['phrase'][2:])
        assert line['phrase'][2:] in UNSEEN
        if line['mask'] is None:  # a negative: the scene does not show it
            label = np.asarray(
                Image.open(
                    osp.join(tiny_world,
                             line['image'].replace('img_dir', 'ann_dir'))))
            assert (label == value).sum() < MIN_PIXELS
        else:
            assert line['values'] == [value]


def test_unknown_unseen_objects_are_refused(tiny_world):
    with pytest.raises(ConfigError, match="'sofa'"):
        write_world_phrases(tiny_world, ['sofa'])
