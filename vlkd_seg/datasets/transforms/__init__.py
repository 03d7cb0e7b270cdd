from .image_tags import TAG_META_KEYS, ImageTags
from .labels import UNLABELED_INDEX, check_label_range
from .phrase_mask import PHRASE_META_KEYS, LoadPhraseMask

__all__ = [
    'ImageTags', 'LoadPhraseMask', 'PHRASE_META_KEYS', 'TAG_META_KEYS',
    'UNLABELED_INDEX', 'check_label_range'
]
