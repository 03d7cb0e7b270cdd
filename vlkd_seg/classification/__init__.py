"""Shared image-level distillation module: losses and metrics."""
from .loss_module import ImageDistillLoss
from .losses import (clip_classification_loss, feature_mse_loss,
                     image_contrastive_loss, vl_proximal_loss)
from .metrics import (neighbour_overlap, relative_match_rate,
                      vl_alignment_reversals)
from .vl_distill_metric import VLDistillMetric

__all__ = [
    'ImageDistillLoss', 'VLDistillMetric', 'clip_classification_loss',
    'feature_mse_loss', 'image_contrastive_loss', 'vl_proximal_loss',
    'neighbour_overlap', 'relative_match_rate', 'vl_alignment_reversals'
]
