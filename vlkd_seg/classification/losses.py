"""Image-level vision-language distillation losses (Li et al., 2023): the
functions live in :mod:`vlkd_seg.models.losses.vl_losses`, beside the
segmentation losses that use them; this module is their documented name
for the image-level recipes."""
from vlkd_seg.models.losses.vl_losses import (check_pair, check_text,
                                              clip_classification_loss,
                                              feature_mse_loss,
                                              image_contrastive_loss,
                                              text_logits, vl_proximal_loss)

__all__ = [
    'check_pair', 'check_text', 'clip_classification_loss', 'feature_mse_loss',
    'image_contrastive_loss', 'text_logits', 'vl_proximal_loss'
]
