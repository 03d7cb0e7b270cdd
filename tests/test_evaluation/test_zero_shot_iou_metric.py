import json
import math

import pytest
import torch
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample

from vlkd_seg.evaluation import ZeroShotIoUMetric

CLASSES = ('sky', 'road', 'cat', 'dog', 'cow')


def _sample(pred, gt):
    sample = SegDataSample()
    sample.pred_sem_seg = PixelData(data=torch.tensor([pred]))
    sample.gt_sem_seg = PixelData(data=torch.tensor([gt]))
    return sample.to_dict()


def _evaluate(metric, pairs):
    metric.dataset_meta = dict(classes=CLASSES)
    for pred, gt in pairs:
        metric.process({}, [_sample(pred, gt)])
    return metric.compute_metrics(metric.results)


def test_matches_hand_computed_ious_over_the_whole_set(tmp_path):
    # image 1: sky/road/cat; image 2: cat/dog and an ignored pixel.
    # cow (4) is absent from both ground truth and predictions.
    pairs = [
        ([[0, 0, 1], [1, 2, 2]], [[0, 0, 1], [1, 1, 2]]),
        ([[2, 3, 3], [3, 2, 0]], [[2, 3, 3], [2, 2, 255]]),
    ]
    out = tmp_path / 'per_class.json'
    metric = ZeroShotIoUMetric(unseen_idx=[2, 3, 4], per_class_file=str(out))
    metrics = _evaluate(metric, pairs)
    # sky: I=2, U=2 (pixel (1,2) of image 2 is ignored) -> 1
    # road: I=2 U=3 -> 2/3; cat: I=3 U=5 -> 3/5; dog: I=2 U=3 -> 2/3
    seen = (1 + 2 / 3) / 2
    unseen = (3 / 5 + 2 / 3) / 2
    assert metrics['mIoU_seen'] == pytest.approx(seen * 100, abs=0.01)
    assert metrics['mIoU_unseen'] == pytest.approx(unseen * 100, abs=0.01)
    assert metrics['mIoU'] == pytest.approx(
        (1 + 2 / 3 + 3 / 5 + 2 / 3) / 4 * 100, abs=0.01)
    assert metrics['hIoU'] == pytest.approx(
        2 * seen * unseen / (seen + unseen) * 100, abs=0.01)
    assert metrics['aAcc'] == pytest.approx(9 / 11 * 100, abs=0.01)
    table = json.loads(out.read_text())
    assert [r['Split'] for r in table['classes']
            ] == ['seen', 'seen', 'unseen', 'unseen', 'unseen']
    assert table['classes'][4]['IoU'] is None
    assert table['summary'] == metrics


def test_empty_unseen_set_reports_seen_only():
    metric = ZeroShotIoUMetric(unseen_idx=[])
    metrics = _evaluate(metric, [([[0, 1]], [[0, 1]])])
    assert metrics['mIoU'] == metrics['mIoU_seen'] == 100.0
    assert math.isnan(metrics['mIoU_unseen'])
    assert math.isnan(metrics['hIoU'])


def test_hiou_is_zero_when_unseen_classes_are_all_missed():
    metric = ZeroShotIoUMetric(unseen_idx=[1])
    metrics = _evaluate(metric, [([[0, 0]], [[0, 1]])])
    assert metrics['mIoU_unseen'] == 0.0
    assert metrics['hIoU'] == 0.0


@pytest.mark.parametrize('kwargs, match', [
    (dict(unseen_idx=[7]), r'unseen_idx holds \[7\], outside the 5'),
    (dict(unseen_idx=[1], seen_idx=[0, 1]), r'classes \[1\] are both'),
    (dict(unseen_idx=[1, 1]), 'repeats'),
    (dict(unseen_idx=[-1]), r'holds \[-1\]'),
])
def test_bad_splits_fail_when_the_dataset_is_known(kwargs, match):
    with pytest.raises(ValueError, match=match):
        metric = ZeroShotIoUMetric(**kwargs)
        metric.dataset_meta = dict(classes=CLASSES)


def test_the_split_comes_from_the_dataset_unless_given():
    metric = ZeroShotIoUMetric()
    metric.dataset_meta = dict(classes=('a', 'b', 'c'), unseen_idx=[2])
    assert metric.unseen_idx == [2]
    same = ZeroShotIoUMetric(unseen_idx=[2])
    same.dataset_meta = dict(classes=('a', 'b', 'c'), unseen_idx=[2])
    with pytest.raises(ValueError, match=r'disagrees with the dataset'):
        ZeroShotIoUMetric(unseen_idx=[1]).dataset_meta = dict(
            classes=('a', 'b', 'c'), unseen_idx=[2])
    with pytest.raises(ValueError, match=r'metainfo=dict\(unseen_idx'):
        ZeroShotIoUMetric().dataset_meta = dict(classes=('a', 'b', 'c'))
