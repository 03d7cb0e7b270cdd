import numpy as np
import pytest

from vlkd_seg.datasets import UNLABELED_INDEX, ZeroShotLabels, check_no_unseen


def _seg():
    return np.array([[0, 1, 2], [3, 255, 1]], dtype=np.uint8)


def test_unseen_pixels_become_unlabeled_and_others_stay():
    out = ZeroShotLabels(unseen_idx=[1, 3])(dict(gt_seg_map=_seg()))
    assert out['gt_seg_map'].tolist() == [[0, 254, 2], [254, 255, 254]]
    assert UNLABELED_INDEX == 254


def test_annotation_free_hides_every_labelled_pixel():
    out = ZeroShotLabels(unseen_idx='all')(dict(gt_seg_map=_seg()))
    assert out['gt_seg_map'].tolist() == [[254, 254, 254], [254, 255, 254]]


def test_input_is_not_modified_in_place():
    seg = _seg()
    ZeroShotLabels(unseen_idx=[1])(dict(gt_seg_map=seg))
    assert seg.tolist() == _seg().tolist()


def test_leak_check_raises_on_any_unseen_label():
    check_no_unseen(np.array([[0, 2]]), [1, 3])
    with pytest.raises(RuntimeError, match=r'unseen classes \[3\] leaked'):
        check_no_unseen(np.array([[0, 3]]), [1, 3])


def test_bad_setting_is_refused():
    with pytest.raises(ValueError, match="indices or 'all'"):
        ZeroShotLabels(unseen_idx='some')
