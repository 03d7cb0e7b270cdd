"""Per-class binary targets of a label map, as ZegCLIP's release builds
them for its mask losses."""
from typing import Tuple

import torch.nn.functional as F
from mmengine.dist import all_reduce
from torch import Tensor

from vlkd_seg.utils.errors import SetupError


def class_mask_targets(pred: Tensor, label: Tensor,
                       ignore_index: int) -> Tuple[Tensor, Tensor, Tensor]:
    """One binary mask per class of a label map.

    Args:
        pred (Tensor): ``(N, C, H, W)`` logits (for the shape and checks).
        label (Tensor): ``(N, H, W)`` class indices in ``[0, C)`` or
            ``ignore_index``.
        ignore_index (int): Pixels of no class; their targets are 0 for
            every class (the release counts them as negatives).

    Returns:
        tuple[Tensor, Tensor, Tensor]: ``(N, C, H, W)`` float targets,
        ``(N, C)`` bool of the classes present in each image, and the
        number of (image, present class) pairs, averaged over processes
        and at least 1 (the losses' normaliser).
    """
    if pred.shape[-2:] != label.shape[-2:] or len(pred) != len(label):
        raise SetupError(f'logits {tuple(pred.shape)} and labels '
                         f'{tuple(label.shape)} do not match')
    num_classes = pred.shape[1]
    valid = label != ignore_index
    bad = label[valid & ((label < 0) | (label >= num_classes))]
    if len(bad):
        raise SetupError(
            f'label {int(bad[0])} is outside the {num_classes} classes the '
            'head scored: map unseen classes to the ignore index')
    onehot = F.one_hot(label.where(valid, 0).long(), num_classes)
    target = (onehot * valid[..., None]).permute(0, 3, 1, 2).to(pred.dtype)
    present = target.flatten(2).amax(dim=-1) > 0
    num_masks = present.sum().to(pred.dtype)
    all_reduce(num_masks, op='mean')  # in place; alone: unchanged
    return target, present, num_masks.clamp_min(1)
