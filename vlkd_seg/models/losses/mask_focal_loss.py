import torch.nn.functional as F
from mmseg.registry import MODELS
from torch import Tensor, nn

from vlkd_seg.utils.errors import number_in_range
from .class_masks import class_mask_targets


@MODELS.register_module()
class MaskFocalLoss(nn.Module):
    """Sigmoid focal loss of per-class mask logits (ZegCLIP's
    ``loss_mask``).

    Every class and pixel is a binary problem: ``alpha_t (1 - p_t)^gamma
    BCE``, averaged over pixels, summed over images and classes, divided
    by the number of (image, present class) pairs. Ignored pixels are
    negatives of every class, as in ZegCLIP's release.

    Args:
        alpha (float): Weight of positives (release: 0.25).
        gamma (float): Focusing exponent (release: 2).
        loss_weight (float): Factor (release: 100).
        loss_name (str): Key of the loss.
    """

    def __init__(self,
                 alpha: float = 0.25,
                 gamma: float = 2.,
                 loss_weight: float = 100.,
                 loss_name: str = 'loss_mask_focal'):
        super().__init__()
        self.alpha = number_in_range(alpha, 'MaskFocalLoss alpha', 0, 1)
        self.gamma = number_in_range(gamma, 'MaskFocalLoss gamma', 0)
        self.loss_weight = number_in_range(loss_weight,
                                           'MaskFocalLoss loss_weight', 0)
        self._loss_name = loss_name

    def forward(self,
                pred: Tensor,
                label: Tensor,
                weight=None,
                ignore_index: int = 255,
                **kwargs) -> Tensor:
        """Loss of ``(N, C, H, W)`` logits against ``(N, H, W)`` labels."""
        target, _, num_masks = class_mask_targets(pred, label, ignore_index)
        ce = F.binary_cross_entropy_with_logits(pred, target, reduction='none')
        prob = pred.sigmoid()
        p_t = prob * target + (1 - prob) * (1 - target)
        alpha_t = self.alpha * target + (1 - self.alpha) * (1 - target)
        loss = alpha_t * ce * (1 - p_t)**self.gamma
        return self.loss_weight * loss.flatten(2).mean(-1).sum() / num_masks

    @property
    def loss_name(self) -> str:
        return self._loss_name
