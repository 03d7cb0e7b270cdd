"""Image preprocessing for CLIP teachers outside a segmentor's pipeline."""
import open_clip
import torch
import torch.nn.functional as F
from torch import nn

CLIP_MEAN = torch.tensor(open_clip.OPENAI_DATASET_MEAN).view(1, 3, 1, 1)
CLIP_STD = torch.tensor(open_clip.OPENAI_DATASET_STD).view(1, 3, 1, 1)


def clip_input_size(model: nn.Module) -> int:
    """Side of the square input an open_clip model was built for."""
    size = model.visual.image_size
    return size[0] if isinstance(size, (tuple, list)) else size


def clip_preprocess(images: torch.Tensor, size: int) -> torch.Tensor:
    """uint8 RGB ``(N, 3, h, w)`` -> CLIP-normalised float at ``size``."""
    x = images.float() / 255
    if x.shape[-2:] != (size, size):
        x = F.interpolate(
            x, size=(size, size), mode='bilinear', align_corners=False)
    return (x - CLIP_MEAN.to(x.device)) / CLIP_STD.to(x.device)
