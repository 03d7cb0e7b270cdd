"""Label maps handed to a head: new data samples, never edited ones."""
from typing import Sequence

import torch
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample
from mmseg.utils import SampleList
from torch import Tensor


def with_labels(data_samples: SampleList, labels: Tensor) -> SampleList:
    """New data samples with the metainfo of ``data_samples`` and
    ``labels`` ``(N, 1, H, W)`` as their ground truth."""
    return [
        SegDataSample(
            metainfo=sample.metainfo, gt_sem_seg=PixelData(data=label))
        for sample, label in zip(data_samples, labels)
    ]


def stacked_labels(data_samples: SampleList) -> Tensor:
    """``(N, 1, H, W)`` ground truth of ``data_samples``."""
    return torch.stack([s.gt_sem_seg.data for s in data_samples])


def seen_positions(labels: Tensor,
                   seen_idx: Sequence[int],
                   ignore_index: int = 255) -> Tensor:
    """Labels of the seen classes renumbered by their position in
    ``seen_idx``; every other pixel is ``ignore_index``.

    Args:
        labels (Tensor): Class indices (any shape).
        seen_idx (Sequence[int]): The classes a head scores, in order.
        ignore_index (int): Index of pixels no loss sees.
    """
    table = labels.new_full((max(int(labels.max()), *seen_idx) + 1, ),
                            ignore_index)
    table[labels.new_tensor(list(seen_idx))] = torch.arange(
        len(seen_idx), device=labels.device, dtype=labels.dtype)
    return table[labels]
