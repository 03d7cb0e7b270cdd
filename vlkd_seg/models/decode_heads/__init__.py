from .deeplabv2_head import DeepLabV2Head
from .head_outputs import (HeadOutputs, classify_features,
                           forward_with_embeddings)
from .lseg_head import LSegHead, SpatialRegularization
from .text_classifier import TextClassifier, TextClassifierHead

__all__ = [
    'DeepLabV2Head', 'HeadOutputs', 'classify_features',
    'forward_with_embeddings', 'LSegHead', 'SpatialRegularization',
    'TextClassifier', 'TextClassifierHead'
]
