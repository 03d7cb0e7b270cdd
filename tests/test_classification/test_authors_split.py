import os
import os.path as osp

import pytest
from mmengine.registry import DefaultScope

from vlkd_seg.classification import (ClassSplitDataset, FewShotMixDataset,
                                     load_class_split, read_image_list)
from .authors_files import PIPELINE, write_authors_folder


@pytest.fixture
def authors(tmp_path):
    DefaultScope.get_instance(
        f'authors_{tmp_path.name}', scope_name='mmpretrain')
    return write_authors_folder(tmp_path / 'CaltechBirds',
                                str(tmp_path / 'images')), str(tmp_path /
                                                               'images')


def _dataset(authors, part, subset, **kwargs):
    folder, images = authors
    return ClassSplitDataset(
        class_split=folder,
        part=part,
        subset=subset,
        data_root=images,
        pipeline=PIPELINE,
        **kwargs)


def test_split_reads_classes_sentences_and_the_id_ood_partition(authors):
    split = load_class_split(authors[0])
    # the class listed in no image list is dropped
    assert split.names == [
        'Black footed Albatross', 'Laysan Albatross', 'Sooty Albatross',
        'Groove billed Ani'
    ]
    assert split.id_classes == [0, 2] and split.ood_classes == [1, 3]
    assert split.descriptions[3] == 'The Groove_billed_Ani looks like this.'
    assert split.keys[1] == '002.Laysan_Albatross'
    assert [len(read_image_list(authors[0], p))
            for p in ('train', 'val_on_train', 'val', 'test')] == \
        [7, 3, 13, 16]


def test_dataset_from_the_lists_has_the_papers_image_sets(authors):
    sizes = {
        (part, subset): len(_dataset(authors, part, subset))
        for part, subset in [('train', 'id'), (
            'val_on_train',
            'id'), ('val', 'ood'), ('test', 'all'), ('test',
                                                     'id'), ('test', 'ood')]
    }
    assert sizes == {
        ('train', 'id'): 7,
        ('val_on_train', 'id'): 3,
        ('val', 'ood'): 13,
        ('test', 'all'): 16,
        ('test', 'id'): 3,
        ('test', 'ood'): 13
    }
    test = _dataset(authors, 'test', 'all')
    info = test.get_data_info(15)
    assert info['gt_label'] == 3 and info['sample_idx'] == 15
    assert info['img_path'] == osp.join(
        authors[1], 'val/004.Groove_billed_Ani/Groove_billed_Ani_0006.jpg')
    assert test[0]['inputs'].shape == (3, 8, 8)
    assert test.metainfo['classes'][0] == 'Black footed Albatross'


def test_few_shot_images_are_five_per_ood_class_and_never_tested(authors):
    train = _dataset(authors, 'train', 'id')
    ood = _dataset(authors, 'val', 'ood')
    mix = FewShotMixDataset(train, ood, shots=5, seed=0)
    assert len(mix) == 7 + 10 and mix.num_few_shot == 10
    shots = [mix.get_data_info(i) for i in range(7, 17)]
    assert sorted(int(s['gt_label']) for s in shots) == [1] * 5 + [3] * 5
    tested = _dataset(
        authors, 'test', 'all', exclude_few_shot=dict(shots=5, seed=0))
    tested_paths = {
        tested.get_data_info(i)['img_path']
        for i in range(len(tested))
    }
    shot_paths = {s['img_path'] for s in shots}
    assert not shot_paths & tested_paths
    # X_id stays whole; X_ood loses exactly the few-shot images
    all_ood = {ood.get_data_info(i)['img_path'] for i in range(len(ood))}
    assert len(tested) == 3 + 13 - 10
    assert tested_paths | shot_paths >= all_ood
    # the seed fixes the draw
    again = FewShotMixDataset(train, ood, shots=5, seed=0)
    assert [again.get_data_info(i)['img_path']
            for i in range(7, 17)] == [s['img_path'] for s in shots]


def test_lists_that_disagree_are_refused(authors, tmp_path):
    folder = authors[0]
    with open(osp.join(folder, 'val_data.txt'), 'a') as f:
        f.write('\nval/001.Black_footed_Albatross/x.jpg')
    with pytest.raises(ValueError, match='both train_data.txt and'):
        load_class_split(folder)
    os.remove(osp.join(folder, 'chatgpt.txt'))
    with pytest.raises(FileNotFoundError, match='chatgpt.txt not found'):
        load_class_split(folder)
