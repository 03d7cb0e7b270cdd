from typing import List

import torch.nn.functional as F
from mmcv.cnn import ConvModule
from mmseg.models.decode_heads.decode_head import BaseDecodeHead
from mmseg.registry import MODELS
from torch import Tensor, nn


@MODELS.register_module()
class LSegHead(BaseDecodeHead):
    """LSeg's decoder (Li et al., ICLR 2022) on multi-level features.

    Lateral 1x1 convolutions bring every level to ``channels``; they are
    upsampled to the finest level, summed and fused by a 3x3 convolution;
    ``conv_seg`` projects the pixels into the CLIP space. Build it with
    ``num_classes`` = the CLIP dimension inside a ``TextEncoderDecoder``,
    whose ``TextClassifier`` scores ``exp(tau) * cos(pixel, text)`` and
    applies LSeg's spatial regularisation (``regularization``).

    Args:
        **kwargs: :class:`BaseDecodeHead` arguments; ``in_index`` and
            ``in_channels`` are lists of the levels used.
    """

    def __init__(self, **kwargs):
        super().__init__(input_transform='multiple_select', **kwargs)
        self.laterals = nn.ModuleList(
            ConvModule(
                c,
                self.channels,
                1,
                conv_cfg=self.conv_cfg,
                norm_cfg=self.norm_cfg,
                act_cfg=self.act_cfg) for c in self.in_channels)
        self.fuse = ConvModule(
            self.channels,
            self.channels,
            3,
            padding=1,
            conv_cfg=self.conv_cfg,
            norm_cfg=self.norm_cfg,
            act_cfg=self.act_cfg)

    def forward(self, inputs: List[Tensor]) -> Tensor:
        """Multi-level features -> ``(N, num_classes, h, w)`` pixel
        embeddings at the finest level."""
        feats = self._transform_inputs(inputs)
        size = feats[0].shape[-2:]
        fused = sum(
            F.interpolate(
                lateral(f),
                size=size,
                mode='bilinear',
                align_corners=self.align_corners)
            for lateral, f in zip(self.laterals, feats))
        return self.cls_seg(self.fuse(fused))
