"""The whole-dataset pre-flight reads every sample's headers: a missing,
empty, mis-sized or colour label map and a ``.PNG`` image of a ``.png``
dataset are each named in one ConfigError, whatever their position."""
import numpy as np
import pytest
from mmseg.datasets import BaseSegDataset
from PIL import Image

from vlkd_seg.utils import ConfigError
from vlkd_seg.utils.data_headers import check_sample_files


def _write(root, n=5, size=64):
    (root / 'img').mkdir(parents=True)
    (root / 'ann').mkdir()
    for i in range(n):
        Image.fromarray(np.zeros((size, size, 3),
                                 np.uint8)).save(root / 'img' / f'{i}.png')
        Image.fromarray(np.ones((size, size),
                                np.uint8)).save(root / 'ann' / f'{i}.png')


def _dataset(root):
    return BaseSegDataset(
        data_root=str(root),
        data_prefix=dict(img_path='img', seg_map_path='ann'),
        img_suffix='.png',
        seg_map_suffix='.png',
        metainfo=dict(classes=('a', 'b')))


def _break_last(root, how):
    label = root / 'ann' / '4.png'
    if how == 'smaller label map':
        Image.fromarray(np.ones((32, 32), np.uint8)).save(label)
    elif how == 'colour label map':
        Image.fromarray(np.ones((64, 64, 3), np.uint8)).save(label)
    elif how == 'no label map':
        label.unlink()
    elif how == 'empty image':
        (root / 'img' / '4.png').write_bytes(b'')
    elif how == 'upper-case suffix':
        (root / 'img' / '4.png').rename(root / 'img' / '4.PNG')


@pytest.mark.parametrize('how, message', [
    ('smaller label map', r'4\.png is 32x32 but its image .* is 64x64'),
    ('colour label map', r'4\.png \(train\) is saved as colour \(RGB\)'),
    ('no label map', r'ann/4\.png \(train\) does not exist'),
    ('empty image', r'img/4\.png \(train\) cannot be opened.*it is empty'),
    ('upper-case suffix', r"4\.PNG \(train\) ends in '\.PNG' but the dataset"
     r" looks for '\.png'"),
])
def test_the_first_bad_file_is_named(tmp_path, how, message):
    _write(tmp_path)
    check_sample_files(_dataset(tmp_path), 'train')
    _break_last(tmp_path, how)
    with pytest.raises(ConfigError, match=message):
        check_sample_files(_dataset(tmp_path), 'train')


def test_palette_label_maps_are_single_channel(tmp_path):
    _write(tmp_path)
    palette = Image.fromarray(np.ones((64, 64), np.uint8)).convert('P')
    palette.save(tmp_path / 'ann' / '0.png')
    check_sample_files(_dataset(tmp_path), 'train')
