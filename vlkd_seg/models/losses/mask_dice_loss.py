from mmseg.registry import MODELS
from torch import Tensor, nn

from vlkd_seg.utils.errors import number_in_range
from .class_masks import class_mask_targets


@MODELS.register_module()
class MaskDiceLoss(nn.Module):
    """Dice loss of per-class mask logits (ZegCLIP's ``loss_dice``).

    For every class present in an image: ``1 - (2 sum(p t) + 1) / (sum p +
    sum t + 1)`` with ``p`` the sigmoid scores over the image's pixels;
    summed and divided by the number of (image, present class) pairs.
    Ignored pixels are negatives, as in ZegCLIP's release.

    Args:
        loss_weight (float): Factor (release: 1).
        loss_name (str): Key of the loss.
    """

    def __init__(self,
                 loss_weight: float = 1.,
                 loss_name: str = 'loss_mask_dice'):
        super().__init__()
        self.loss_weight = number_in_range(loss_weight,
                                           'MaskDiceLoss loss_weight', 0)
        self._loss_name = loss_name

    def forward(self,
                pred: Tensor,
                label: Tensor,
                weight=None,
                ignore_index: int = 255,
                **kwargs) -> Tensor:
        """Loss of ``(N, C, H, W)`` logits against ``(N, H, W)`` labels."""
        target, present, num_masks = class_mask_targets(
            pred, label, ignore_index)
        prob = pred.sigmoid().flatten(2)[present]
        target = target.flatten(2)[present]
        dice = (2 * (prob * target).sum(-1) + 1) / (
            prob.sum(-1) + target.sum(-1) + 1)
        return self.loss_weight * (1 - dice).sum() / num_masks

    @property
    def loss_name(self) -> str:
        return self._loss_name
