"""proposal_recall counts an object found when one proposal covers it at
IoU 0.5, whatever the proposal's class."""
import torch
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample
from torch import nn

from vlkd_seg.demo.proposal_recall import proposal_recall


class _Head:

    def __init__(self, masks):
        self.masks = masks

    def predict_queries(self, feats, metas, text, size):
        assert tuple(size) == (8, 8)
        return None, self.masks


class _Proposer(nn.Module):
    """Stands for FreeSeg: fixed mask logits, identity preprocessing."""

    def __init__(self, masks):
        super().__init__()
        self.decode_head = _Head(masks)
        self.vocabulary = type('V', (), dict(text=torch.zeros(1, 4)))

    def data_preprocessor(self, data, training):
        return data

    def extract_feat(self, inputs):
        return [inputs]


def test_an_object_counts_when_one_proposal_covers_half_its_union():
    labels = torch.zeros(1, 8, 8, dtype=torch.long)
    labels[0, :4, :4] = 1  # 16 px
    labels[0, 4:, 4:] = 2  # 16 px
    masks = torch.full((1, 2, 8, 8), -5.)
    masks[0, 0, :4, :2] = 5.  # IoU 8 / 16 = 0.5 with class 1
    masks[0, 1, 4:, 4:7] = 5.  # IoU 12 / 16 with class 2... and 0 with 1
    sample = SegDataSample(gt_sem_seg=PixelData(data=labels))
    batch = dict(inputs=torch.zeros(1, 3, 8, 8), data_samples=[sample])
    model = _Proposer(masks)
    assert proposal_recall(model, [batch], [1, 2]) == dict(
        recall=100., objects=2.)
    masks[0, 0, :4, :2] = -5.
    masks[0, 0, :4, :1] = 5.  # IoU 4 / 16
    assert proposal_recall(model, [batch], [1, 2, 3]) == dict(
        recall=50., objects=2.)
