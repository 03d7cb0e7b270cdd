from .clipseg_head import CLIPSegHead
from .deeplabv2_head import DeepLabV2Head
from .lseg_head import LSegHead
from .spatial_regularization import SpatialRegularization
from .text_classifier import TextClassifier
from .text_mask2former_head import TextMask2FormerHead
from .zegclip_head import ZegCLIPHead

__all__ = [
    'CLIPSegHead', 'DeepLabV2Head', 'LSegHead', 'SpatialRegularization',
    'TextClassifier', 'TextMask2FormerHead', 'ZegCLIPHead'
]
