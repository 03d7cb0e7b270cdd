from typing import List, Optional, Sequence, Tuple

import torch
from mmseg.registry import MODELS
from mmseg.utils import SampleList
from torch import Tensor

from vlkd_seg.datasets.transforms import UNLABELED_INDEX
from vlkd_seg.utils.errors import ConfigError
from ..label_maps import with_labels
from ..label_spaces import sample_spaces
from .pseudo_labels import merge_pseudo_labels
from .pseudo_label_distiller import PseudoLabelDistiller


@MODELS.register_module()
class MultiDatasetDistiller(PseudoLabelDistiller):
    """One student trained on several datasets whose label sets differ
    (SSIW, Yin et al. 2022): classes are named by their texts, so every
    dataset's classes live in one vocabulary (``UnifiedDataset``'s).

    Per sample, the loss is over the classes its own dataset annotates
    (``label_space`` of its metainfo): a class it does not annotate is
    neither a positive nor a negative there. Its *silent* pixels (its
    catch-all classes such as "background" or "other", and its unlabelled
    pixels where its ``silent_labels`` hold 255) may be any class it does
    not annotate: the active pseudo-labeller (the teacher's dense labels,
    or the student's moving average) labels them among those classes and
    the catch-all itself; where it is at least ``confidence_thresh`` sure
    every class competes at that pixel, elsewhere the pixel keeps its own
    label. Samples that say nothing of their dataset are labelled in full.

    Args:
        student, teacher, class_names, labellers, confidence_thresh,
            losses, teacher_input_size, **kwargs: As
            :class:`PseudoLabelDistiller`'s; ``class_names`` are the
            unified classes (``UnifiedDataset(classes=...)``).
        unseen_idx (Sequence[int]): Classes hidden from every dataset's
            labels as well (default: none).
    """

    def __init__(self,
                 student: dict,
                 teacher: dict,
                 class_names=None,
                 unseen_idx: Sequence[int] = (),
                 labellers: Sequence[dict] = (),
                 **kwargs):
        for key in ('image_tags', 'background_idx'):
            if key in kwargs:
                raise ConfigError(
                    f'MultiDatasetDistiller takes no {key}: each dataset\'s '
                    'silent labels say where pseudo-labels go')
        if isinstance(unseen_idx, str):
            raise ConfigError(
                f"MultiDatasetDistiller unseen_idx must be class indices, got "
                f'{unseen_idx!r}: label the datasets\' pixels as they are')
        super().__init__(student, teacher, class_names, unseen_idx, labellers,
                         **kwargs)

    def candidates(self) -> List[int]:
        """Every class may be a pseudo-label (each image restricts them)."""
        return list(range(len(self.class_names)))

    def allowed_candidates(self, data_samples: SampleList) -> Tensor:
        """``(N, K)`` bool: the classes a silent pixel of each image may
        take: those its dataset does not annotate, its catch-all classes
        and the hidden ones."""
        spaces = sample_spaces(data_samples, len(self.class_names),
                               torch.device('cpu'))
        allowed = ~spaces.annotated | spaces.silent_classes
        allowed[:, list(self.unseen_idx)] = True
        return allowed

    def _student_losses(self, feats: List[Tensor], outputs, labels: Tensor,
                        source: Optional[Tensor],
                        data_samples: SampleList) -> Tuple[dict, Tensor]:
        """Losses over each sample's label space; pseudo-labels on its
        silent pixels (``(N, 1, H, W)`` bool of those that took one)."""
        spaces = sample_spaces(data_samples, len(self.class_names),
                               labels.device)
        silent = spaces.silent_pixels(labels)
        pseudo = merge_pseudo_labels(
            labels.masked_fill(silent, UNLABELED_INDEX), source,
            self.candidates(), self.confidence_thresh)
        filled = (silent | (labels == UNLABELED_INDEX)) & (pseudo != 255)
        merged = torch.where(silent & ~filled, labels, pseudo)
        losses = self.student.loss_by_logits(feats, outputs.logits,
                                             with_labels(data_samples, merged),
                                             (spaces.annotated, filled))
        return losses, filled
