"""Pseudo-labels merged into the ground truth, and the averaged student
that may provide them."""
from typing import Optional, Sequence

import torch
import torch.nn.functional as F
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample
from mmseg.utils import SampleList
from torch import Tensor, nn

from vlkd_seg.datasets.transforms import UNLABELED_INDEX


def merge_pseudo_labels(labels: Tensor,
                        source: Optional[Tensor],
                        candidates: Sequence[int],
                        confidence_thresh: float = 0.) -> Tensor:
    """Ground truth with pseudo-labels on its unlabeled pixels.

    Args:
        labels (Tensor): ``(N, 1, H, W)`` ground truth; pixels labelled
            ``UNLABELED_INDEX`` get pseudo-labels.
        source (Tensor, optional): ``(N, C, h, w)`` logits over
            ``candidates``; None ignores the unlabeled pixels (255).
        candidates (Sequence[int]): The class of each of the C logits.
        confidence_thresh (float): Pixels whose most likely candidate has a
            lower probability are ignored.

    Returns:
        Tensor: ``(N, 1, H, W)`` merged labels; ``labels`` is unchanged.
    """
    unlabeled = labels == UNLABELED_INDEX
    ignore = torch.full_like(labels, 255)
    if source is None or not unlabeled.any():
        return torch.where(unlabeled, ignore, labels)
    logits = F.interpolate(
        source.float(),
        size=labels.shape[-2:],
        mode='bilinear',
        align_corners=False)
    prob, pick = logits.softmax(dim=1).max(dim=1, keepdim=True)
    classes = labels.new_tensor(list(candidates))
    pseudo = torch.where(prob < confidence_thresh, ignore, classes[pick])
    return torch.where(unlabeled, pseudo, labels)


def with_labels(data_samples: SampleList, labels: Tensor) -> SampleList:
    """New data samples with the metainfo of ``data_samples`` and
    ``labels`` ``(N, 1, H, W)`` as their ground truth."""
    return [
        SegDataSample(
            metainfo=sample.metainfo, gt_sem_seg=PixelData(data=label))
        for sample, label in zip(data_samples, labels)
    ]


@torch.no_grad()
def ema_update_(ema: nn.Module, model: nn.Module, decay: float) -> None:
    """``ema = decay * ema + (1 - decay) * model`` for every float parameter
    and buffer (``decay=0`` copies); other buffers are copied. Reads both
    state dicts anew, so it follows any ``.to()`` of the models."""
    current = model.state_dict()
    for name, value in ema.state_dict().items():
        if value.is_floating_point():
            value.mul_(decay).add_(current[name], alpha=1 - decay)
        else:
            value.copy_(current[name])
