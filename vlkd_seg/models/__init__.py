from .decode_heads import LSegHead, TextClassifier, TextClassifierHead
from .distillers import PseudoLabelDistiller
from .segmentors import MaskCLIPSegmentor
from .teachers import CLIPTeacher

__all__ = [
    'CLIPTeacher', 'LSegHead', 'MaskCLIPSegmentor', 'PseudoLabelDistiller',
    'TextClassifier', 'TextClassifierHead'
]
