from .deeplabv2_head import DeepLabV2Head
from .lseg_head import LSegHead, SpatialRegularization
from .text_classifier import TextClassifier, TextClassifierHead

__all__ = [
    'DeepLabV2Head', 'LSegHead', 'SpatialRegularization', 'TextClassifier',
    'TextClassifierHead'
]
