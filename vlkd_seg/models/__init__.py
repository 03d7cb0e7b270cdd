from .backbones import PromptedCLIPViT
from .decode_heads import (CLIPSegHead, DeepLabV2Head, LSegHead,
                           TextClassifier, ZegCLIPHead)
from .distillers import (PseudoLabelDistiller, SegmentorLabeller,
                         StudentLabeller, TeacherLabeller)
from .losses import (ImageDistillLoss, MaskDiceLoss, MaskFocalLoss,
                     PixelDistillLoss, PooledDistillLoss)
from .refiners import (AttentionAffinity, KeySmoothing, LocalCRF,
                       PromptDenoising)
from .segmentors import (CLIPSeg, MaskCLIPSegmentor, TextEncoderDecoder,
                         Vocabulary, ZegCLIP)
from .teachers import CLIPTeacher

__all__ = [
    'AttentionAffinity', 'CLIPSeg', 'CLIPSegHead', 'CLIPTeacher',
    'DeepLabV2Head', 'ImageDistillLoss', 'KeySmoothing', 'LSegHead',
    'LocalCRF', 'MaskCLIPSegmentor', 'MaskDiceLoss', 'MaskFocalLoss',
    'PixelDistillLoss', 'PooledDistillLoss', 'PromptDenoising',
    'PromptedCLIPViT', 'PseudoLabelDistiller', 'SegmentorLabeller',
    'StudentLabeller', 'TeacherLabeller', 'TextClassifier',
    'TextEncoderDecoder', 'Vocabulary', 'ZegCLIP', 'ZegCLIPHead'
]
