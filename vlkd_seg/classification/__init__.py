"""Shared image-level distillation module: losses, metrics, the student
classifier recipe on mmpretrain and the ID / OOD class splits."""
from .class_split import ClassSplit, available_class_splits, load_class_split
from .datasets import ClassSplitDataset
from .hooks import TeacherFeatureHook
from .loss_module import ImageDistillLoss
from .losses import (clip_classification_loss, feature_mse_loss,
                     image_contrastive_loss, vl_proximal_loss)
from .metrics import (neighbour_overlap, relative_match_rate,
                      text_order_reversals, vl_alignment_reversals)
from .models import VLDistillClassifier
from .teacher_features import cached_teacher_features
from .vl_distill_metric import VLDistillMetric

__all__ = [
    'ClassSplit', 'ClassSplitDataset', 'ImageDistillLoss',
    'TeacherFeatureHook', 'VLDistillClassifier', 'VLDistillMetric',
    'available_class_splits', 'cached_teacher_features',
    'clip_classification_loss', 'feature_mse_loss', 'image_contrastive_loss',
    'load_class_split', 'neighbour_overlap', 'relative_match_rate',
    'text_order_reversals', 'vl_alignment_reversals', 'vl_proximal_loss'
]
