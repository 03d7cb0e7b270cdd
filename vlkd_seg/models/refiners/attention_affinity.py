from mmseg.registry import MODELS
from torch import Tensor

from vlkd_seg.utils.errors import ConfigError, number_in_range
from ..teachers.affinity import class_aware_refine
from .label_batch import LabelBatch


@MODELS.register_module()
class AttentionAffinity:
    """CLIP-ES's class-aware attention affinity as a pseudo-label refiner.

    The teacher's probabilities, at its own resolution, are propagated by
    the affinity of its attention (ViT: the last ``layers`` blocks'
    attention, Sinkhorn-normalised, symmetrised, squared; ResNet towers:
    the attention pool's, every location a query), each class within its
    boxes around locations above ``box_thresh``
    (:func:`~vlkd_seg.models.teachers.affinity.class_aware_refine`).

    Args:
        layers (int): ViT blocks whose attention is averaged (CLIP-ES: 8).
        box_thresh (float): Box threshold on a class's probability map
            (CLIP-ES: 0.4).
    """
    needs_pixels = False
    needs_keys = False

    def __init__(self, layers: int = 8, box_thresh: float = 0.4):
        if not isinstance(layers, int) or layers < 1:
            raise ConfigError(f'AttentionAffinity layers must be an integer '
                              f'>= 1, got {layers!r}')
        box_thresh = number_in_range(box_thresh,
                                     'AttentionAffinity box_thresh', 0, 1)
        self.settings = dict(layers=layers, box_thresh=box_thresh)

    def refine(self, probs: Tensor, batch: LabelBatch) -> Tensor:
        """``(N, C, h, w)`` probabilities on the teacher's grid, refined."""
        affinity = batch.teacher.attention_affinity(batch.teacher_view,
                                                    self.settings['layers'])
        return class_aware_refine(probs, affinity, self.settings['box_thresh'])
