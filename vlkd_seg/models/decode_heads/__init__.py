from .lseg_head import LSegHead, SpatialRegularization
from .text_classifier import TextClassifier, TextClassifierHead

__all__ = [
    'LSegHead', 'SpatialRegularization', 'TextClassifier', 'TextClassifierHead'
]
