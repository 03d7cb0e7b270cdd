from typing import List

import torch.nn.functional as F
from mmcv.cnn import ConvModule
from mmseg.models.decode_heads.decode_head import BaseDecodeHead
from mmseg.registry import MODELS
from torch import Tensor, nn

from vlkd_seg.utils.errors import ConfigError
from .text_classifier import TextClassifier


class SpatialRegularization(nn.Module):
    """LSeg's spatial regularisation blocks on the class logits.

    One 3x3 kernel shared by every class map, so the blocks work for any
    vocabulary size. ``'bottleneck'`` blocks add the per-pixel max over
    classes before the activation; ``'depthwise'`` blocks do not.

    Args:
        depth (int): Number of blocks (0 = none).
        kind (str): ``'bottleneck'`` or ``'depthwise'``.
    """

    def __init__(self, depth: int = 1, kind: str = 'bottleneck'):
        super().__init__()
        if kind not in ('bottleneck', 'depthwise'):
            raise ConfigError(f"kind must be 'bottleneck' or 'depthwise', "
                              f'got {kind!r}')
        self.kind = kind
        self.convs = nn.ModuleList(
            nn.Conv2d(1, 1, 3, padding=1) for _ in range(depth))
        self.act = nn.LeakyReLU()

    def forward(self, logits: Tensor) -> Tensor:
        """``(N, K, h, w)`` -> ``(N, K, h, w)``."""
        n, k, h, w = logits.shape
        for i, conv in enumerate(self.convs):
            out = conv(logits.reshape(n * k, 1, h, w)).reshape(n, k, h, w)
            if self.kind == 'bottleneck':
                out = out + logits.amax(dim=1, keepdim=True)
            logits = out if i == len(self.convs) - 1 else self.act(out)
        return logits


@MODELS.register_module()
class LSegHead(BaseDecodeHead):
    """LSeg decoder (Li et al., ICLR 2022) on multi-level features.

    Lateral 1x1 convolutions bring every level to ``channels``; they are
    upsampled to the finest level, summed and fused by a 3x3 convolution;
    a :class:`TextClassifier` maps pixels to the CLIP space and scores
    ``exp(tau) * cos(pixel, text)``; spatial regularisation blocks refine
    the logits. Any vocabulary at test time (set the text bank).

    Args:
        embed_dim (int): CLIP embedding dimension.
        temperature (float): Initial temperature (learned, LSeg: 0.07).
        reg_depth (int): Number of spatial regularisation blocks.
        reg_kind (str): ``'bottleneck'`` or ``'depthwise'``.
        **kwargs: :class:`BaseDecodeHead` arguments; ``in_index`` and
            ``in_channels`` are lists of the levels used.
    """

    def __init__(self,
                 embed_dim: int,
                 temperature: float = 0.07,
                 reg_depth: int = 1,
                 reg_kind: str = 'bottleneck',
                 **kwargs):
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
        self.conv_seg = TextClassifier(self.channels, embed_dim,
                                       self.out_channels, temperature)
        self.regularization = SpatialRegularization(reg_depth, reg_kind)

    def forward(self, inputs: List[Tensor]) -> Tensor:
        """Multi-level features -> class logits at the finest level."""
        feats = self._transform_inputs(inputs)
        size = feats[0].shape[-2:]
        fused = sum(
            F.interpolate(
                lateral(f),
                size=size,
                mode='bilinear',
                align_corners=self.align_corners)
            for lateral, f in zip(self.laterals, feats))
        return self.regularization(self.cls_seg(self.fuse(fused)))

    def classify(self, feat: Tensor) -> Tensor:
        """Logits of fused features as :meth:`forward` makes them, without
        the dropout (dropout-free self-training labels)."""
        return self.regularization(self.conv_seg(feat))
