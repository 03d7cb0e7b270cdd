from typing import Optional

import torch.nn.functional as F
from mmseg.registry import MODELS
from torch import Tensor, nn

from vlkd_seg.utils.errors import ConfigError


class FeatureDistillLosses(nn.Module):
    """Losses between the student's pixel embeddings and the teacher's dense
    features: a pixel-wise L1 and an image-level loss on both pooled.

    Args:
        feature_weight (float): Weight of the L1 loss between unit pixel
            embeddings (0 = off).
        image_distill (dict, optional): Config of an ``ImageDistillLoss``
            that needs no labels (segmentation has no image labels), e.g.
            ``dict(loss='feature_mse_loss')``.
    """

    def __init__(self,
                 feature_weight: float = 0.,
                 image_distill: Optional[dict] = None):
        super().__init__()
        self.feature_weight = feature_weight
        self.image = MODELS.build(
            dict(type='ImageDistillLoss', **
                 image_distill)) if image_distill else None
        if self.image is not None and 'labels' in self.image.required:
            raise ConfigError(
                f'image_distill {image_distill} needs image labels, which '
                'segmentation lacks: use a loss that compares student and '
                'teacher features (feature_mse_loss, image_contrastive_loss,'
                ' vl_proximal_loss)')

    @property
    def active(self) -> bool:
        """Whether any loss is on."""
        return bool(self.feature_weight or self.image is not None)

    def forward(self, emb: Tensor, t_feats: Tensor, text: Tensor) -> dict:
        """The losses that are on.

        Args:
            emb (Tensor): Student pixel embeddings ``(N, D, h, w)``, unit
                norm over D.
            t_feats (Tensor): Teacher dense features ``(N, D, h', w')``.
            text (Tensor): ``(K, D)`` class texts (``vl_proximal_loss``).

        Returns:
            dict: ``loss_feat_distill`` and / or ``loss_image_distill``.
        """
        losses = {}
        target = F.interpolate(
            t_feats.to(emb),
            size=emb.shape[-2:],
            mode='bilinear',
            align_corners=False)
        if self.feature_weight:
            losses['loss_feat_distill'] = self.feature_weight * (
                emb - F.normalize(target, dim=1)).abs().mean()
        if self.image is not None:
            losses['loss_image_distill'] = self.image.from_inputs(
                emb.mean((2, 3)), target.mean((2, 3)), text)
        return losses
