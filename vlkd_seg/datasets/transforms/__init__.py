from .image_tags import TAG_META_KEYS, ImageTags
from .zero_shot_labels import (UNLABELED_INDEX, ZeroShotLabels,
                               check_label_range, check_no_unseen)

__all__ = [
    'ImageTags', 'TAG_META_KEYS', 'UNLABELED_INDEX', 'ZeroShotLabels',
    'check_label_range', 'check_no_unseen'
]
