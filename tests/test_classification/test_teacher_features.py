import os

import numpy as np
import pytest
import torch
from mmengine.registry import DefaultScope
from PIL import Image

from vlkd_seg.classification import ClassSplitDataset, cached_teacher_features
from vlkd_seg.classification import teacher_features as tf
from vlkd_seg.models import CLIPTeacher
from vlkd_seg.models.teachers import clip_preprocess

VIEW = [dict(type='LoadImageFromFile'), dict(type='PackInputs')]


@pytest.fixture
def objects(tiny_world_objects):
    DefaultScope.get_instance('test_teacher_features', scope_name='mmpretrain')
    return ClassSplitDataset(
        dict(
            type='CustomDataset',
            data_root=tiny_world_objects,
            ann_file='meta/test.txt'),
        class_split='synthetic_world',
        subset='all')


@pytest.fixture
def teacher(clip_configs):
    torch.manual_seed(0)
    return CLIPTeacher(clip_configs['rn'], text_cache_dir='')


def test_features_are_the_teachers_embedding_of_the_rgb_image(
        objects, teacher, tmp_path):
    feats = cached_teacher_features(
        teacher, objects, VIEW, cache_dir=str(tmp_path), batch_size=5)
    assert feats.shape == (len(objects), 32)
    images = torch.stack([
        torch.from_numpy(
            np.asarray(
                Image.open(objects.get_data_info(i)['img_path']).convert(
                    'RGB'))).permute(2, 0, 1) for i in range(len(objects))
    ])
    expected = teacher.encode_image(clip_preprocess(images, 64))
    assert torch.allclose(feats, expected, atol=1e-5)


def test_features_are_cached_per_teacher_view_and_dataset(
        objects, teacher, tmp_path, monkeypatch):
    calls = []
    compute = tf.compute_teacher_features

    def counting(*args, **kwargs):
        calls.append(1)
        return compute(*args, **kwargs)

    monkeypatch.setattr(tf, 'compute_teacher_features', counting)
    first = cached_teacher_features(
        teacher, objects, VIEW, cache_dir=str(tmp_path))
    again = cached_teacher_features(
        teacher, objects, VIEW, cache_dir=str(tmp_path))
    assert torch.equal(first, again) and len(calls) == 1
    flipped = VIEW[:1] + [dict(type='RandomFlip', prob=1.)] + VIEW[1:]
    cached_teacher_features(teacher, objects, flipped, cache_dir=str(tmp_path))
    assert len(calls) == 2
    # a cache file that cannot be read is recomputed with a warning
    for name in os.listdir(tmp_path):
        (tmp_path / name).write_bytes(b'not a tensor')
    recomputed = cached_teacher_features(
        teacher, objects, VIEW, cache_dir=str(tmp_path))
    assert len(calls) == 3 and torch.equal(recomputed, first)


def test_a_teacher_view_that_is_not_uint8_is_refused(objects, teacher,
                                                     tmp_path):
    view = [dict(type='LoadImageFromFile', to_float32=True)] + VIEW[1:]
    with pytest.raises(ValueError, match='uint8'):
        cached_teacher_features(
            teacher, objects, view, cache_dir=str(tmp_path))


def test_another_teachers_image_tower_gets_its_own_cache(
        objects, teacher, clip_configs, tmp_path):
    first = cached_teacher_features(
        teacher, objects, VIEW, cache_dir=str(tmp_path))
    torch.manual_seed(1)
    other = CLIPTeacher(clip_configs['rn'], text_cache_dir='')
    second = cached_teacher_features(
        other, objects, VIEW, cache_dir=str(tmp_path))
    assert len(list(tmp_path.iterdir())) == 2
    assert not torch.allclose(first, second)
    assert teacher.weights_hash('image') != other.weights_hash('image')
