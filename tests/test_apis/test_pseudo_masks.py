"""Pseudo-masks written once per image and scored against the true masks."""
import numpy as np
import pytest
import torch
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample
from PIL import Image

from vlkd_seg.apis import score_pseudo_masks, write_pseudo_masks

NAMES = ('background', 'a', 'b')
GT = torch.tensor([[[0, 1], [2, 255]]])


def _batch(name='x'):
    sample = SegDataSample(
        gt_sem_seg=PixelData(data=GT),
        metainfo=dict(img_path=f'/d/{name}.jpg'))
    return dict(inputs=[torch.zeros(3, 2, 2)], data_samples=[sample])


class _Model:
    """Stands in for an image-tag distiller: fixed masks, counted calls."""

    def __init__(self, mask, key=None):
        self.mask, self.calls = mask, 0
        self.key = key or dict(teacher='t1')

    def data_preprocessor(self, data, training):
        return dict(
            inputs=torch.stack(data['inputs']),
            data_samples=data['data_samples'])

    def teacher_pseudo_labels(self, inputs, samples):
        self.calls += 1
        return self.mask[None].clone()

    def pseudo_label_key(self):
        return self.key


def _save(folder, name, mask):
    folder.mkdir(exist_ok=True)
    Image.fromarray(np.asarray(mask, np.uint8)).save(folder / f'{name}.png')


def test_true_masks_score_100_and_a_constant_mask_less(tmp_path):
    _save(tmp_path, 'x', GT[0].numpy())
    assert score_pseudo_masks(str(tmp_path), [_batch()], NAMES)['mIoU'] == 100
    _save(tmp_path, 'x', np.zeros((2, 2)))
    scores = score_pseudo_masks(str(tmp_path), [_batch()], NAMES)
    # background right on 1 of its 3 predicted labelled pixels; a, b missed
    assert abs(scores['mIoU'] - 100 / 9) < 1e-4
    assert scores['IoU']['a'] == 0 and scores['images'] == 1


def test_ignored_pixels_count_as_wrong(tmp_path):
    mask = GT[0].numpy().copy()
    mask[0, 1] = 255  # the 'a' pixel left unlabelled
    _save(tmp_path, 'x', mask)
    scores = score_pseudo_masks(str(tmp_path), [_batch()], NAMES)
    assert scores['IoU']['a'] == 0
    assert abs(scores['ignored'] - 1 / 3) < 1e-6


def test_masks_are_written_once_and_skipped_after(tmp_path):
    model = _Model(GT[0:1])
    out = tmp_path / 'masks'
    assert write_pseudo_masks(model, [_batch('x'), _batch('y')], str(out)) == 2
    assert write_pseudo_masks(model, [_batch('x'), _batch('z')], str(out)) == 1
    assert model.calls == 3
    written = np.asarray(Image.open(out / 'x.png'))
    assert np.array_equal(written, GT[0].numpy())


def test_a_folder_keeps_to_one_teacher(tmp_path):
    out = str(tmp_path / 'masks')
    write_pseudo_masks(_Model(GT[0:1]), [_batch()], out)
    with pytest.raises(ValueError, match='another teacher'):
        write_pseudo_masks(
            _Model(GT[0:1], dict(teacher='t2')), [_batch('y')], out)


def test_a_missing_mask_is_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match='write them first'):
        score_pseudo_masks(str(tmp_path), [_batch()], NAMES)
