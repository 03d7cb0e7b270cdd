"""Ground truth with classes hidden, merged with pseudo-labels; the checks
of a label setting."""
from typing import Optional, Sequence, Union

import torch
import torch.nn.functional as F
from mmseg.utils import SampleList
from torch import Tensor, nn

from vlkd_seg.datasets.transforms import UNLABELED_INDEX
from vlkd_seg.utils.errors import ConfigError, SetupError


def hide_classes(labels: Tensor, unseen_idx: Union[Sequence[int],
                                                   str]) -> Tensor:
    """``labels`` with the pixels of ``unseen_idx`` (every labelled pixel
    for ``'all'``) set to ``UNLABELED_INDEX``; 255 stays ignored.

    Args:
        labels (Tensor): ``(N, 1, H, W)`` ground truth.
        unseen_idx (Sequence[int] | str): Hidden classes, or ``'all'``.
    """
    if isinstance(unseen_idx, str):
        hidden = labels != 255
    else:
        hidden = torch.isin(labels, labels.new_tensor(list(unseen_idx)))
    return labels.masked_fill(hidden, UNLABELED_INDEX)


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


def tag_candidates(data_samples: SampleList, candidates: Sequence[int],
                   background_idx: int) -> Tensor:
    """``(N, C)`` bool over ``candidates``: per image, its tags
    (``img_tags`` of its sample, from ``ImageTags``) and the background
    class.

    Raises:
        SetupError: A sample without tags, or a tag no pseudo-label may take.
    """
    candidates = list(candidates)
    allowed = torch.zeros(len(data_samples), len(candidates), dtype=torch.bool)
    for n, sample in enumerate(data_samples):
        tags = sample.metainfo.get('img_tags')
        if tags is None:
            raise SetupError(
                'a training sample has no img_tags: put ImageTags in the '
                "train pipeline and 'img_tags' in PackSegInputs' meta_keys "
                '(vlkd_seg.datasets.TAG_META_KEYS)')
        bad = [t for t in tags if t not in candidates]
        if bad:
            raise SetupError(f'image tags {bad} of '
                             f'{sample.metainfo.get("img_path", "?")} are not '
                             f'among the {len(candidates)} classes '
                             'pseudo-labels may take')
        for c in list(tags) + [background_idx]:
            allowed[n, candidates.index(c)] = True
    return allowed


def check_split(unseen_idx, num_classes: int):
    """``unseen_idx`` checked: ``'all'`` or distinct class indices."""
    if unseen_idx is None:
        raise ConfigError(
            'PseudoLabelDistiller got no unseen_idx: give the classes hidden '
            "from the student's labels (a zero-shot split), 'all' "
            '(annotation-free, image tags) or [] (fully supervised).')
    if isinstance(unseen_idx, str):
        if unseen_idx != 'all':
            raise ConfigError(f"unseen_idx must be class indices or 'all', "
                              f'got {unseen_idx!r}')
        return unseen_idx
    unseen = [int(i) for i in unseen_idx]
    bad = [i for i in unseen if not 0 <= i < num_classes]
    if bad or len(set(unseen)) != len(unseen):
        raise ConfigError(f'unseen_idx {bad or unseen} outside the '
                          f'{num_classes} training classes or repeated')
    return unseen


def check_labellers(labellers: nn.ModuleList) -> None:
    """Starts are iterations in increasing order."""
    starts = [m.start for m in labellers]
    if any(not isinstance(s, int) or s < 0
           for s in starts) or any(b <= a for a, b in zip(starts, starts[1:])):
        raise ConfigError(
            f'labeller starts {starts} must be iterations >= 0, each after '
            'the one before: the teacher guides the student before it '
            'trains on its own predictions.')
