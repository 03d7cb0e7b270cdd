from .zero_shot_labels import (UNLABELED_INDEX, ZeroShotLabels,
                               check_label_range, check_no_unseen)

__all__ = [
    'UNLABELED_INDEX', 'ZeroShotLabels', 'check_label_range', 'check_no_unseen'
]
