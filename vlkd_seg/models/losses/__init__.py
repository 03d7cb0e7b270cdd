from .image_distill_loss import LOSS_ARGS, ImageDistillLoss
from .pixel_distill_loss import PixelDistillLoss
from .pooled_distill_loss import PooledDistillLoss

__all__ = [
    'LOSS_ARGS', 'ImageDistillLoss', 'PixelDistillLoss', 'PooledDistillLoss'
]
