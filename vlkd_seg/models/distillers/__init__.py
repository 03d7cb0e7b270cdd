from .multi_dataset_distiller import MultiDatasetDistiller
from .pseudo_label_distiller import PseudoLabelDistiller
from ..label_maps import with_labels
from .pseudo_labels import hide_classes, merge_pseudo_labels
from .segmentor_labeller import SegmentorLabeller
from .student_labeller import StudentLabeller
from .teacher_labeller import TeacherLabeller, fold_background
from .text_student_distiller import TextStudentDistiller

__all__ = [
    'MultiDatasetDistiller', 'PseudoLabelDistiller', 'SegmentorLabeller',
    'StudentLabeller', 'TeacherLabeller', 'TextStudentDistiller',
    'fold_background', 'hide_classes', 'merge_pseudo_labels', 'with_labels'
]
