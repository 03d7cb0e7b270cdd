"""What an image tower expects of its input: CLIP's own statistics, sides
that are a multiple of its stride, and a data preprocessor's normalisation
undone and redone."""
import open_clip
import torch.nn.functional as F
from torch import Tensor

#: RGB mean and std of OpenAI's CLIP training data, for pixels in [0, 1]
CLIP_MEAN = tuple(open_clip.OPENAI_DATASET_MEAN)
CLIP_STD = tuple(open_clip.OPENAI_DATASET_STD)


def clip_normalize(x: Tensor) -> Tensor:
    """Normalise RGB pixels in [0, 255] as CLIP was trained.

    Args:
        x (Tensor): ``(N, 3, H, W)`` float RGB images in [0, 255].

    Returns:
        Tensor: ``(N, 3, H, W)`` images, ``(x / 255 - mean) / std``.
    """
    mean = x.new_tensor(CLIP_MEAN).view(1, 3, 1, 1)
    std = x.new_tensor(CLIP_STD).view(1, 3, 1, 1)
    return (x / 255 - mean) / std


def pad_to_stride(x: Tensor, stride: int) -> Tensor:
    """Zero-pad the bottom and right of ``x`` ``(..., H, W)`` to sides that
    are multiples of ``stride`` (a CLIP tower's patch size or total
    stride); crop results back with ``[..., :H, :W]``."""
    h, w = x.shape[-2:]
    return F.pad(x, (0, -w % stride, 0, -h % stride))


def to_pixels(preprocessor, inputs: Tensor) -> Tensor:
    """Inputs normalised by an mmseg data ``preprocessor`` back in 0-255
    units (unchanged if it does not normalise)."""
    mean = getattr(preprocessor, 'mean', None)
    return inputs if mean is None else inputs * preprocessor.std + mean


def from_pixels(preprocessor, pixels: Tensor) -> Tensor:
    """0-255 images normalised as an mmseg data ``preprocessor`` does
    (unchanged if it does not normalise): the inverse of
    :func:`to_pixels`."""
    mean = getattr(preprocessor, 'mean', None)
    return pixels if mean is None else (pixels - mean) / preprocessor.std
