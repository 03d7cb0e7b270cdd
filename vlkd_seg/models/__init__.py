from .decode_heads import DeepLabV2Head, LSegHead, TextClassifier
from .distillers import (AttentionAffinity, LocalCRF, PseudoLabelDistiller,
                         StudentLabeller, TeacherLabeller)
from .losses import ImageDistillLoss, PixelDistillLoss, PooledDistillLoss
from .segmentors import MaskCLIPSegmentor, TextEncoderDecoder, Vocabulary
from .teachers import CLIPTeacher

__all__ = [
    'AttentionAffinity', 'CLIPTeacher', 'DeepLabV2Head', 'ImageDistillLoss',
    'LSegHead', 'LocalCRF', 'MaskCLIPSegmentor', 'PixelDistillLoss',
    'PooledDistillLoss', 'PseudoLabelDistiller', 'StudentLabeller',
    'TeacherLabeller', 'TextClassifier', 'TextEncoderDecoder', 'Vocabulary'
]
