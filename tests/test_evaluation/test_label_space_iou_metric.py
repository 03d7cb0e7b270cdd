"""LabelSpaceIoUMetric: predictions over the model's classes scored in a
dataset's own classes."""
import pytest
import torch

from vlkd_seg.evaluation import LabelSpaceIoUMetric
from vlkd_seg.utils.errors import ConfigError, MissingFileError

MODEL = ['background', 'disc', 'square', 'ring', 'star']
DATASET = ['background', 'hoop', 'star']


def _sample(pred, label):
    return dict(
        pred_sem_seg=dict(data=torch.tensor(pred)[None]),
        gt_sem_seg=dict(data=torch.tensor(label)[None]))


def _metric(**kwargs):
    metric = LabelSpaceIoUMetric(
        prediction_classes=MODEL,
        synonyms=[['ring', 'hoop'], ['car', 'automobile']],
        unseen_idx=[2],
        **kwargs)
    metric.dataset_meta = dict(classes=DATASET)
    return metric


def test_predictions_become_the_datasets_classes_by_name_and_synonym():
    metric = _metric(other='background')
    # disc and square are not the dataset's: its background
    pred = [[0, 1, 2, 3, 4, 3]]
    label = [[0, 0, 0, 1, 2, 2]]
    sample = _sample(pred, label)
    metric.process({}, [sample])
    assert torch.equal(sample['pred_sem_seg']['data'],
                       torch.tensor(pred)[None])  # left as it was
    result = metric.compute_metrics(metric.results)
    # background 3/3, hoop 1/2 (one star labelled hoop), star 1/2
    assert result['mIoU'] == pytest.approx(100 * (1 + .5 + .5) / 3, abs=.01)
    assert result['mIoU_unseen'] == pytest.approx(50.)


def test_without_other_a_foreign_class_is_a_miss():
    metric = _metric()
    metric.process({}, [_sample([[1, 0]], [[0, 0]])])
    result = metric.compute_metrics(metric.results)
    assert result['aAcc'] == pytest.approx(50.)


@pytest.mark.parametrize('kwargs, match', [
    (dict(prediction_classes=[]), 'must name the model'),
    (dict(prediction_classes='background'), 'one class'),
    (dict(prediction_classes=MODEL, other='sky'), "other='sky' is not"),
])
def test_bad_settings_are_named(kwargs, match):
    with pytest.raises((ConfigError, MissingFileError), match=match):
        metric = LabelSpaceIoUMetric(unseen_idx=[2], **kwargs)
        metric.dataset_meta = dict(classes=DATASET)
