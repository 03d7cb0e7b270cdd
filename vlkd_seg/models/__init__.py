from .decode_heads import TextClassifier, TextClassifierHead
from .distillers import PseudoLabelDistiller
from .segmentors import MaskCLIPSegmentor
from .teachers import CLIPTeacher

__all__ = [
    'CLIPTeacher', 'MaskCLIPSegmentor', 'PseudoLabelDistiller',
    'TextClassifier', 'TextClassifierHead'
]
