from .decode_heads import DeepLabV2Head, LSegHead, TextClassifier
from .distillers import ImageTagDistiller, PseudoLabelDistiller
from .segmentors import MaskCLIPSegmentor, TextEncoderDecoder, Vocabulary
from .teachers import CLIPTeacher

__all__ = [
    'CLIPTeacher', 'DeepLabV2Head', 'ImageTagDistiller', 'LSegHead',
    'MaskCLIPSegmentor', 'PseudoLabelDistiller', 'TextClassifier',
    'TextEncoderDecoder', 'Vocabulary'
]
