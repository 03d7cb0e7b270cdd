"""Image preprocessing for CLIP teachers outside a segmentor's pipeline."""
import torch
import torch.nn.functional as F
from torch import nn

from vlkd_seg.utils.clip_input import clip_normalize


def clip_input_size(model: nn.Module) -> int:
    """Side of the square input an open_clip model was built for."""
    size = model.visual.image_size
    return size[0] if isinstance(size, (tuple, list)) else size


def clip_preprocess(images: torch.Tensor, size: int) -> torch.Tensor:
    """uint8 RGB ``(N, 3, h, w)`` -> CLIP-normalised float at ``size``."""
    x = images.float()
    if x.shape[-2:] != (size, size):
        x = F.interpolate(
            x, size=(size, size), mode='bilinear', align_corners=False)
    return clip_normalize(x)
