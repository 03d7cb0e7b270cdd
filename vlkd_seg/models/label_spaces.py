"""What each sample's dataset can label (``UnifiedDataset``'s metainfo),
as tensors; logits restricted to it."""
from typing import NamedTuple

import torch
import torch.nn.functional as F
from mmseg.utils import SampleList
from torch import Tensor

from vlkd_seg.utils.errors import SetupError

#: logit of a class a pixel's dataset does not annotate: a finite floor
#: (interpolating -inf gives NaN); its softmax share and gradient are 0
OUTSIDE_LOGIT = -1e4


class SampleSpaces(NamedTuple):
    """The label spaces of a batch.

    Attributes:
        annotated (Tensor): ``(N, K)`` bool: the classes each sample's
            dataset annotates (all for a sample that does not say).
        silent_classes (Tensor): ``(N, K)`` bool: its catch-all classes
            ("background", "other"), whose pixels may be any class it does
            not annotate.
        silent_ignored (Tensor): ``(N,)`` bool: its ignored pixels (255)
            are silent too.
    """
    annotated: Tensor
    silent_classes: Tensor
    silent_ignored: Tensor

    def silent_pixels(self, labels: Tensor) -> Tensor:
        """``(N, 1, H, W)`` bool: pixels of ``labels`` (ground truth of the
        same samples, at most 256 values) whose label is silent."""
        n, k = self.silent_classes.shape
        table = torch.zeros(
            n, max(k, 256), dtype=torch.bool, device=labels.device)
        table[:, :k] = self.silent_classes
        table[:, 255] |= self.silent_ignored.to(labels.device)
        return torch.gather(table, 1, labels.flatten(1).long()).view_as(labels)


def sample_spaces(data_samples: SampleList, num_classes: int,
                  device: torch.device) -> SampleSpaces:
    """:class:`SampleSpaces` of ``data_samples`` (their ``label_space`` and
    ``silent_labels`` metainfo, put there by ``UnifiedDataset``)."""
    n = len(data_samples)
    annotated = torch.ones(n, num_classes, dtype=torch.bool)
    silent = torch.zeros(n, num_classes, dtype=torch.bool)
    ignored = torch.zeros(n, dtype=torch.bool)
    for i, sample in enumerate(data_samples):
        space = sample.metainfo.get('label_space')
        if space is None:
            continue
        quiet = list(sample.metainfo.get('silent_labels', ()))
        bad = [
            c for c in [*space, *quiet]
            if not (0 <= c < num_classes or c == 255)
        ]
        if bad:
            raise SetupError(
                f'label space classes {bad} of dataset '
                f'{sample.metainfo.get("dataset_name", "?")!r} are not among '
                f'the model\'s {num_classes}: its vocabulary must be the '
                "UnifiedDataset's classes")
        annotated[i] = False
        annotated[i, list(space)] = True
        silent[i, [c for c in quiet if c != 255]] = True
        ignored[i] = 255 in quiet
    return SampleSpaces(
        annotated.to(device), silent.to(device), ignored.to(device))


def restrict_logits(logits: Tensor, annotated: Tensor, open_pixels: Tensor,
                    align_corners: bool) -> Tensor:
    """Logits in which a pixel's classes outside its dataset's label space
    are neither positives nor negatives.

    Args:
        logits (Tensor): ``(N, K, h, w)``.
        annotated (Tensor): ``(N, K)`` bool: each sample's classes.
        open_pixels (Tensor): ``(N, 1, H, W)`` bool: pixels where every
            class competes (their labels came from a pseudo-labeller that
            saw all of them).
        align_corners (bool): As the head resizes its logits.

    Returns:
        Tensor: ``(N, K, H, W)`` logits at the labels' size, the classes
        outside ``annotated`` at :data:`OUTSIDE_LOGIT` except on
        ``open_pixels``.
    """
    size = open_pixels.shape[-2:]
    if logits.shape[-2:] != size:
        logits = F.interpolate(
            logits, size=size, mode='bilinear', align_corners=align_corners)
    keep = annotated[..., None, None] | open_pixels
    return logits.masked_fill(~keep, OUTSIDE_LOGIT)
