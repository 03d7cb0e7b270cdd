import pytest
from mmengine.registry import DefaultScope

from vlkd_seg.classification import ClassSplitDataset, load_class_split
from ..conftest import write_class_split


def _dataset(root, subset, split='synthetic_world'):
    DefaultScope.get_instance('test_class_split', scope_name='mmpretrain')
    return ClassSplitDataset(
        dict(type='CustomDataset', data_root=root, ann_file='meta/test.txt'),
        class_split=split,
        subset=subset,
        pipeline=[dict(type='LoadImageFromFile'),
                  dict(type='PackInputs')])


def test_subsets_keep_their_classes_and_own_labels(tiny_world_objects):
    split = load_class_split('synthetic_world')
    everything = _dataset(tiny_world_objects, 'all')
    parts = {s: _dataset(tiny_world_objects, s) for s in ('id', 'ood')}
    assert len(parts['id']) + len(parts['ood']) == len(everything) == 16
    for subset, classes in (('id', split.id_classes), ('ood',
                                                       split.ood_classes)):
        labels = {
            int(parts[subset].get_data_info(i)['gt_label'])
            for i in range(len(parts[subset]))
        }
        assert labels and labels <= set(classes)
    sample = parts['ood'][1]
    assert sample['data_samples'].sample_idx == 1
    assert sample['inputs'].shape == (3, 64, 64)
    assert everything.metainfo['classes'] == tuple(split.names)


def test_a_split_that_does_not_fit_the_dataset_is_refused(
        tiny_world_objects, tmp_path):
    # the world has 8 objects; a 3-class split does not describe it
    DefaultScope.get_instance('test_class_split_3', scope_name='mmpretrain')
    split = write_class_split(tmp_path, ['id', 'ood', 'ood'])
    with pytest.raises(
            ValueError, match='lists 3 classes but the dataset '
            'has 8'):
        ClassSplitDataset(
            dict(
                type='CustomDataset',
                data_root=tiny_world_objects,
                ann_file='meta/test.txt',
                metainfo=dict(classes=[f'o{i}' for i in range(8)])),
            class_split=split)


def test_a_missing_class_split_says_where_to_set_it(tiny_world_objects):
    with pytest.raises(ValueError, match=r'got no class_split: give it'):
        _dataset(tiny_world_objects, 'id', split=None)
