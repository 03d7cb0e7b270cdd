from .clip_judged_cam_loss import CLIPJudgedCAMLoss
from .image_distill_loss import LOSS_ARGS, ImageDistillLoss
from .mask_dice_loss import MaskDiceLoss
from .mask_focal_loss import MaskFocalLoss
from .pixel_distill_loss import PixelDistillLoss
from .pooled_distill_loss import PooledDistillLoss

__all__ = [
    'CLIPJudgedCAMLoss', 'LOSS_ARGS', 'ImageDistillLoss', 'MaskDiceLoss',
    'MaskFocalLoss', 'PixelDistillLoss', 'PooledDistillLoss'
]
