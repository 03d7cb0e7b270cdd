from .image_tags import TAG_META_KEYS, ImageTags
from .labels import UNLABELED_INDEX, check_label_range

__all__ = [
    'ImageTags', 'TAG_META_KEYS', 'UNLABELED_INDEX', 'check_label_range'
]
