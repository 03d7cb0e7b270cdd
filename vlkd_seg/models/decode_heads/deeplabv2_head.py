from typing import List, Sequence

from mmcv.cnn import ConvModule
from mmseg.models.decode_heads.decode_head import BaseDecodeHead
from mmseg.registry import MODELS
from torch import Tensor, nn


@MODELS.register_module()
class DeepLabV2Head(BaseDecodeHead):
    """DeepLabV2's ASPP head (Chen et al., 2017), as MaskCLIP+ uses it.

    Parallel atrous convolutions (3x3, one per dilation; 1x1 for dilation 1)
    read the same feature map and their outputs are **summed** (mmseg's
    ``ASPPHead`` is DeepLabV3's: it concatenates the branches with image
    pooling and fuses them with a bottleneck). Each branch is a
    ``ConvModule`` (convolution, norm, activation) with ``channels``
    outputs, as in the MaskCLIP+ release, followed by the usual
    ``cls_seg``.

    Args:
        dilations (Sequence[int]): Dilation of each branch. Defaults to
            (6, 12, 18, 24).
        **kwargs: :class:`BaseDecodeHead` arguments.
    """

    def __init__(self, dilations: Sequence[int] = (6, 12, 18, 24), **kwargs):
        super().__init__(**kwargs)
        self.dilations = tuple(dilations)
        self.branches = nn.ModuleList(
            ConvModule(
                self.in_channels,
                self.channels,
                1 if d == 1 else 3,
                padding=0 if d == 1 else d,
                dilation=d,
                conv_cfg=self.conv_cfg,
                norm_cfg=self.norm_cfg,
                act_cfg=self.act_cfg) for d in self.dilations)

    def _forward_feature(self, inputs: List[Tensor]) -> Tensor:
        """Sum of the branches ``(N, channels, h, w)``."""
        x = self._transform_inputs(inputs)
        return sum(branch(x) for branch in self.branches)

    def forward(self, inputs: List[Tensor]) -> Tensor:
        """Class logits ``(N, K, h, w)``."""
        return self.cls_seg(self._forward_feature(inputs))
