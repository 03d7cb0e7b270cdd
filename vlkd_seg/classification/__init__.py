"""Shared image-level distillation module: losses, metrics, the student
classifier recipe on mmpretrain and the ID / OOD class splits."""
from .authors_split import is_authors_split, read_image_list
from .class_split import ClassSplit, available_class_splits, load_class_split
from .datasets import ClassSplitDataset, FewShotMixDataset, FewShotMixSampler
from .few_shot import pick_few_shot
from .few_shot_stage import few_shot_config
from .hooks import LastEvaluationsHook, TeacherFeatureHook
from vlkd_seg.models.losses import ImageDistillLoss
from .losses import (clip_classification_loss, feature_mse_loss,
                     image_contrastive_loss, vl_proximal_loss)
from .metrics import (neighbour_overlap, relative_match_rate,
                      text_order_reversals, vl_alignment_reversals)
from .models import VLDistillClassifier
from .reporting import average_last
from .teacher_features import cached_teacher_features
from .vl_distill_metric import VLDistillMetric

__all__ = [
    'ClassSplit', 'ClassSplitDataset', 'FewShotMixDataset',
    'FewShotMixSampler', 'ImageDistillLoss', 'LastEvaluationsHook',
    'TeacherFeatureHook', 'VLDistillClassifier', 'VLDistillMetric',
    'available_class_splits', 'average_last', 'cached_teacher_features',
    'few_shot_config', 'is_authors_split', 'pick_few_shot', 'read_image_list',
    'clip_classification_loss', 'feature_mse_loss', 'image_contrastive_loss',
    'load_class_split', 'neighbour_overlap', 'relative_match_rate',
    'text_order_reversals', 'vl_alignment_reversals', 'vl_proximal_loss'
]
