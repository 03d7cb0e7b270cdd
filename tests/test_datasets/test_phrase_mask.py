"""PhraseMaskDataset and LoadPhraseMask: phrases with their binary masks,
negatives, and the errors of a bad annotation file."""
import json

import numpy as np
import pytest
from mmengine.registry import init_default_scope
from mmseg.registry import DATASETS
from PIL import Image

from vlkd_seg.datasets import PHRASE_META_KEYS
from vlkd_seg.utils.errors import ConfigError, MissingFileError, SetupError

PIPELINE = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadPhraseMask'),
    dict(type='PackSegInputs', meta_keys=PHRASE_META_KEYS)
]


def _write(root, lines, mask_size=(12, 10)):
    (root / 'images').mkdir(parents=True, exist_ok=True)
    Image.fromarray(np.zeros((10, 12, 3),
                             np.uint8)).save(root / 'images' / 'a.png')
    mask = np.zeros(mask_size[::-1], np.uint8)
    mask[2:5, 3:7] = 255
    Image.fromarray(mask).save(root / 'a_0.png')
    (root / 'train.jsonl').write_text('\n'.join(
        line if isinstance(line, str) else json.dumps(line) for line in lines))


def _build(root, **kwargs):
    init_default_scope('mmseg')
    return DATASETS.build(
        dict(
            type='PhraseMaskDataset',
            data_root=str(root),
            ann_file='train.jsonl',
            pipeline=PIPELINE,
            **kwargs))


POSITIVE = dict(image='images/a.png', phrase=' the red kite ', mask='a_0.png')
NEGATIVE = dict(image='images/a.png', phrase='a zebra', mask=None)


def test_a_sample_is_its_image_its_phrase_and_a_zero_one_mask(tmp_path):
    _write(tmp_path, [POSITIVE, '', NEGATIVE])
    dataset = _build(tmp_path)
    assert len(dataset) == 2 and dataset.metainfo['classes'] == ('other',
                                                                 'phrase')
    positive, negative = dataset[0]['data_samples'], dataset[1]['data_samples']
    assert positive.phrase == 'the red kite' and negative.phrase == 'a zebra'
    label = positive.gt_sem_seg.data[0]
    assert label.shape == (10, 12) and int(label.sum()) == 12
    assert label[2:5, 3:7].eq(1).all()
    assert negative.gt_sem_seg.data.eq(0).all()


def test_a_drawn_negative_takes_another_samples_phrase_and_no_mask(tmp_path):
    _write(tmp_path, [POSITIVE, NEGATIVE])
    dataset = _build(tmp_path, negative_prob=1.)
    sample = dataset[0]['data_samples']
    assert sample.phrase == 'a zebra' and sample.gt_sem_seg.data.eq(0).all()
    kept = _build(tmp_path, negative_prob=0.)[0]['data_samples']
    assert kept.phrase == 'the red kite'


@pytest.mark.parametrize('line, match', [
    ('{"image": "images/a.png", "phrase": "x"', r'train.jsonl:2 is not JSON'),
    (dict(image='images/a.png', phrase='  ', mask=None), 'non-empty phrase'),
    (dict(phrase='x', mask=None), r'train.jsonl:2: a sample is'),
    (dict(image='images/a.png', phrase='x', mask=3), 'a path or null'),
    (dict(POSITIVE, values=[300]), 'pixel values 0-255'),
])
def test_a_bad_line_is_named_with_its_number(tmp_path, line, match):
    _write(tmp_path, [POSITIVE, line])
    with pytest.raises(ConfigError, match=match):
        _build(tmp_path)


def test_negatives_need_two_phrases(tmp_path):
    _write(tmp_path, [POSITIVE, POSITIVE])
    with pytest.raises(ConfigError, match='fewer than 2 distinct phrases'):
        _build(tmp_path, negative_prob=0.2)
    with pytest.raises(ConfigError, match=r'negative_prob must be .* \[0, 1'):
        _build(tmp_path, negative_prob=1.5)


def test_a_mask_of_another_size_than_its_image_is_refused(tmp_path):
    _write(tmp_path, [POSITIVE], mask_size=(10, 10))
    with pytest.raises(SetupError, match='a_0.png is 10x10 pixels, its image'):
        _build(tmp_path)[0]


def test_a_missing_annotation_file_says_how_to_make_one(tmp_path):
    with pytest.raises(MissingFileError, match='convert_phrasecut.py'):
        _build(tmp_path)


def test_values_pick_the_phrases_pixels_of_a_label_map(tmp_path):
    _write(tmp_path, [dict(POSITIVE, values=[7])])
    label = np.zeros((10, 12), np.uint8)
    label[0, :3], label[9, 0] = 7, 255
    Image.fromarray(label).save(tmp_path / 'a_0.png')
    mask = _build(tmp_path)[0]['data_samples'].gt_sem_seg.data[0]
    assert mask.nonzero().tolist() == [[0, 0], [0, 1], [0, 2]]


def test_phrases_with_an_excluded_word_are_left_out(tmp_path):
    sofa = dict(POSITIVE, phrase='the Sofa on the left')
    sofas = dict(POSITIVE, phrase='two sofas')  # another word
    _write(tmp_path, [POSITIVE, sofa, sofas, NEGATIVE])
    dataset = _build(tmp_path, exclude_words=['sofa', 'tv monitor'])
    assert [dataset.get_data_info(i)['phrase']
            for i in range(3)] == ['the red kite', 'two sofas', 'a zebra']
    with pytest.raises(ConfigError, match='exclude_words'):
        _build(tmp_path, exclude_words='sofa')
