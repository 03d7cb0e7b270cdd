"""ZegCLIP's seen / unseen split and its self-training labels."""
from typing import List, Sequence

import torch
from mmseg.models.utils import resize
from torch import Tensor

from vlkd_seg.utils.errors import ConfigError


def check_seen_split(unseen_idx, num_classes: int) -> List[int]:
    """``unseen_idx`` as distinct class indices leaving a seen class."""
    if isinstance(unseen_idx, str) or not isinstance(unseen_idx, Sequence):
        raise ConfigError(
            'unseen_idx must be a list of class indices ([] for '
            f'the fully supervised oracle), got {unseen_idx!r}: it trains '
            'on the seen classes\' labels, so it needs some')
    unseen = [int(i) for i in unseen_idx]
    bad = [i for i in unseen if not 0 <= i < num_classes]
    if bad or len(set(unseen)) != len(unseen):
        raise ConfigError(f'unseen_idx {bad or unseen} outside the '
                          f'{num_classes} classes or repeated')
    if len(unseen) == num_classes:
        raise ConfigError('every class is unseen: the model needs seen '
                          'classes to train on')
    return sorted(unseen)


def self_training_labels(labels: Tensor, logits: Tensor,
                         unseen_idx: Sequence[int],
                         align_corners: bool) -> Tensor:
    """Ground truth whose unseen pixels take the best unseen class.

    ZegCLIP's transductive step: a pixel labelled with an unseen class is
    relabelled with the argmax of the unseen classes' scores there, from
    the same forward (no threshold); other pixels keep their label.

    Args:
        labels (Tensor): ``(N, 1, H, W)`` ground truth.
        logits (Tensor): ``(N, K, h, w)`` mask logits of every class.
        unseen_idx (Sequence[int]): The unseen classes.
        align_corners (bool): Of the upsampling to ``(H, W)``.
    """
    unseen = labels.new_tensor(list(unseen_idx))
    scores = resize(
        logits[:, unseen],
        size=labels.shape[-2:],
        mode='bilinear',
        align_corners=align_corners)
    best = unseen[scores.argmax(dim=1, keepdim=True)]
    return torch.where(torch.isin(labels, unseen), best, labels)
