from .decode_heads import LSegHead, TextClassifier, TextClassifierHead
from .distillers import ImageTagDistiller, PseudoLabelDistiller
from .segmentors import MaskCLIPSegmentor
from .teachers import CLIPTeacher

__all__ = [
    'CLIPTeacher', 'ImageTagDistiller', 'LSegHead', 'MaskCLIPSegmentor',
    'PseudoLabelDistiller', 'TextClassifier', 'TextClassifierHead'
]
