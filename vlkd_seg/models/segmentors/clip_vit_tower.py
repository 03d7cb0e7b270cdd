"""What CLIPSeg reads of an open_clip ViT tower, at any input size."""
from typing import List, Sequence, Tuple

from torch import Tensor, nn

from ..teachers.dense import run_block, vit_tokens


def vit_activations(
        visual: nn.Module, x: Tensor,
        layers: Sequence[int]) -> Tuple[List[Tensor], Tuple[int, int]]:
    """Outputs of the blocks ``layers`` and the patch grid.

    Args:
        visual (nn.Module): open_clip ViT tower.
        x (Tensor): ``(N, 3, H, W)`` normalised images, H and W multiples
            of the patch size (positional embeddings are resized).
        layers (Sequence[int]): Block indices, increasing.

    Returns:
        tuple: ``(N, 1 + h * w, C)`` tokens after each block of ``layers``
        (class token first) and ``(h, w)``.
    """
    tokens, grid = vit_tokens(visual, x)
    out = []
    for i, block in enumerate(visual.transformer.resblocks[:max(layers) + 1]):
        tokens = run_block(visual, block, tokens)
        if i in layers:
            out.append(tokens)
    return out, grid


def vit_image_embedding(visual: nn.Module, x: Tensor) -> Tensor:
    """``(N, D)`` CLIP image embeddings (unnormalised) of ``(N, 3, H, W)``
    normalised images of any size (positional embeddings resized)."""
    last = len(visual.transformer.resblocks) - 1
    (tokens, ), _ = vit_activations(visual, x, [last])
    return visual.ln_post(tokens[:, 0]) @ visual.proj
