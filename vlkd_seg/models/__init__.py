from .decode_heads import DeepLabV2Head, LSegHead, TextClassifier
from .distillers import PseudoLabelDistiller, StudentLabeller, TeacherLabeller
from .losses import ImageDistillLoss, PixelDistillLoss, PooledDistillLoss
from .refiners import (AttentionAffinity, KeySmoothing, LocalCRF,
                       PromptDenoising)
from .segmentors import MaskCLIPSegmentor, TextEncoderDecoder, Vocabulary
from .teachers import CLIPTeacher

__all__ = [
    'AttentionAffinity', 'CLIPTeacher', 'DeepLabV2Head', 'ImageDistillLoss',
    'KeySmoothing', 'LSegHead', 'LocalCRF', 'MaskCLIPSegmentor',
    'PixelDistillLoss', 'PooledDistillLoss', 'PromptDenoising',
    'PseudoLabelDistiller', 'StudentLabeller', 'TeacherLabeller',
    'TextClassifier', 'TextEncoderDecoder', 'Vocabulary'
]
