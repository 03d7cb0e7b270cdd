import pytest

from vlkd_seg.classification import available_class_splits, load_class_split
from vlkd_seg.classification.class_split import (check_dataset_classes,
                                                 subset_classes)
from ..conftest import write_class_split

# (ID, OOD) class counts of Li et al. (2023), table 1, and the world's
PAPER_SPLITS = dict(
    cub=(100, 100),
    stanford_cars=(98, 98),
    flowers102=(51, 51),
    food101=(51, 50),
    sun397=(200, 197),
    tiered_imagenet=(351, 97),
    synthetic_world=(4, 4))


@pytest.mark.parametrize('name', sorted(PAPER_SPLITS))
def test_packaged_splits_have_the_papers_sizes_and_a_sentence_each(name):
    assert name in available_class_splits()
    split = load_class_split(name)
    assert (len(split.id_classes), len(split.ood_classes)) == \
        PAPER_SPLITS[name]
    assert sorted(split.id_classes + split.ood_classes) == list(
        range(len(split.names)))
    for desc in split.descriptions:
        assert desc[0].isupper() and desc.endswith('.'), desc
        assert 2 <= len(desc.split()) <= 40, desc


def test_packaged_splits_match_mmpretrain_class_lists():
    from mmpretrain.datasets import CUB, SUN397, Food101, StanfordCars
    for name, dataset in (('cub', CUB), ('stanford_cars', StanfordCars),
                          ('food101', Food101), ('sun397', SUN397)):
        check_dataset_classes(
            load_class_split(name), dataset.METAINFO['classes'])


def test_subsets_and_reading_a_users_file(tmp_path):
    split = load_class_split(
        write_class_split(tmp_path, ['id', 'ood', 'id', 'ood', 'ood']))
    assert split.names == ['c0', 'c1', 'c2', 'c3', 'c4']
    assert subset_classes(split, 'id') == [0, 2]
    assert subset_classes(split, 'ood') == [1, 3, 4]
    assert subset_classes(split, 'all') == [0, 1, 2, 3, 4]
    with pytest.raises(ValueError, match='subset must be one of'):
        subset_classes(split, 'seen')
    with pytest.raises(
            ValueError, match='lists 5 classes but the dataset '
            'has 4'):
        check_dataset_classes(split, ['a', 'b', 'c', 'd'])


@pytest.mark.parametrize(
    'line, match',
    [('cat\tid\n', 'expected "name<TAB>id|ood<TAB>description"'),
     ('cat\tseen\tA cat.\n', 'expected "name'),
     ('cat\tid\t \n', 'expected "name'),
     ('cat\tood\tA cat.\n', 'no class is marked "id"')])
def test_malformed_split_files_name_the_line(tmp_path, line, match):
    path = tmp_path / 'bad.tsv'
    path.write_text('# comment\n' + line)
    with pytest.raises(ValueError, match=match):
        load_class_split(str(path))


def test_duplicate_names_and_unknown_splits_are_refused(tmp_path):
    path = tmp_path / 'dup.tsv'
    path.write_text('cat\tid\tA cat.\nCat\tood\tAnother cat.\n')
    with pytest.raises(ValueError, match=r'dup\.tsv: duplicate class names'):
        load_class_split(str(path))
    with pytest.raises(FileNotFoundError, match='no packaged split'):
        load_class_split('imagenet-r')
