from .feature_distill import FeatureDistillLosses
from .image_tag_distiller import ImageTagDistiller, fold_background
from .local_crf import LocalCRF
from .pseudo_label_distiller import PseudoLabelDistiller
from .pseudo_labels import ema_update_, merge_pseudo_labels, with_labels
from .text_student_distiller import TextStudentDistiller

__all__ = [
    'FeatureDistillLosses', 'ImageTagDistiller', 'fold_background', 'LocalCRF',
    'PseudoLabelDistiller', 'TextStudentDistiller', 'ema_update_',
    'merge_pseudo_labels', 'with_labels'
]
