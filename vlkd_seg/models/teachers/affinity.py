"""Affinity between the dense locations of a CLIP image tower, from its own
multi-head self-attention (the input of CLIP-ES's class-aware affinity)."""
import torch
import torch.nn.functional as F
from open_clip.modified_resnet import ModifiedResNet
from open_clip.transformer import VisionTransformer
from torch import Tensor, nn

from vlkd_seg.utils.errors import ConfigError
from .dense import run_block, vit_tokens


def _attention(q: Tensor, k: Tensor, heads: int) -> Tensor:
    """Head-averaged ``softmax(q k^T / sqrt(d))``: ``(N, L, L)`` from
    ``(N, L, C)`` queries and keys."""
    n, length, c = q.shape
    q = q.reshape(n, length, heads, c // heads).transpose(1, 2)
    k = k.reshape(n, length, heads, c // heads).transpose(1, 2)
    scores = q @ k.transpose(-1, -2) / (c // heads)**0.5
    return scores.float().softmax(dim=-1).mean(dim=1)


def vit_affinity(visual: VisionTransformer, x: Tensor, layers: int) -> Tensor:
    """Patch-to-patch attention of a ViT, averaged over its last ``layers``
    blocks and their heads (CLIP-ES averages the last 8 of ViT-B/16).

    Returns:
        Tensor: ``(N, h * w, h * w)``, rows summing to at most 1 (the class
        token's share is dropped).
    """
    tokens, _ = vit_tokens(visual, x)
    blocks = visual.transformer.resblocks
    if not 0 < layers <= len(blocks):
        raise ConfigError(f'affinity over the last {layers} blocks: the '
                          f'tower has {len(blocks)}')
    total = 0.
    for i, block in enumerate(blocks):
        if i >= len(blocks) - layers:
            attn = block.attn
            w_q, w_k, _ = attn.in_proj_weight.chunk(3)
            b_q, b_k, _ = attn.in_proj_bias.chunk(3)
            y = block.ln_1(tokens)
            total = total + _attention(
                F.linear(y, w_q, b_q), F.linear(y, w_k, b_k),
                attn.num_heads)[:, 1:, 1:]
        tokens = run_block(visual, block, tokens)
    return total / layers


def resnet_affinity(visual: ModifiedResNet, x: Tensor) -> Tensor:
    """The attention pool's query-key attention with every location as a
    query (the pool itself only queries with the mean token), averaged over
    its heads; no positional embedding, as in the dense features.

    Returns:
        Tensor: ``(N, h * w, h * w)``, rows summing to 1.
    """
    f = visual.stem(x)
    for layer in (visual.layer1, visual.layer2, visual.layer3, visual.layer4):
        f = layer(f)
    tokens = f.flatten(2).transpose(1, 2)
    pool = visual.attnpool
    return _attention(pool.q_proj(tokens), pool.k_proj(tokens), pool.num_heads)


def attention_affinity(visual: nn.Module,
                       x: Tensor,
                       layers: int = 8) -> Tensor:
    """Location affinity ``(N, h * w, h * w)`` of either open_clip tower.

    Args:
        visual (nn.Module): ``VisionTransformer`` or ``ModifiedResNet``.
        x (Tensor): CLIP-normalised images ``(N, 3, H, W)``.
        layers (int): ViT blocks to average (ignored for ResNets).
    """
    if isinstance(visual, VisionTransformer):
        return vit_affinity(visual, x, layers)
    if isinstance(visual, ModifiedResNet):
        return resnet_affinity(visual, x)
    raise ConfigError('attention affinity needs an open_clip '
                      f'VisionTransformer or ModifiedResNet, not '
                      f'{type(visual).__name__}')


def class_aware_refine(probs: Tensor,
                       affinity: Tensor,
                       box_thresh: float = 0.4) -> Tensor:
    """CLIP-ES's class-aware affinity (CAA) applied to class probabilities.

    The affinity is made doubly stochastic (three rounds of column then
    row normalisation), symmetric and squared into a transition ``T``. Each
    class map ``p_k`` is propagated as ``T[:, box_k] p_k[box_k]``, where
    ``box_k`` is the bounding box of the locations with ``p_k >= box_thresh
    * max p_k`` (CLIP-ES takes a box per contour of its Grad-CAM; here one
    box around them all), and the maps are renormalised over the classes.
    A class with zero probability everywhere stays at zero.

    Args:
        probs (Tensor): ``(N, K, h, w)`` probabilities.
        affinity (Tensor): ``(N, h * w, h * w)`` from
            :func:`attention_affinity`.
        box_thresh (float): Share of a class's peak that bounds its box.

    Returns:
        Tensor: ``(N, K, h, w)`` probabilities.
    """
    n, k, h, w = probs.shape
    if affinity.shape != (n, h * w, h * w):
        raise ConfigError(f'affinity {tuple(affinity.shape)} does not fit '
                          f'probabilities {tuple(probs.shape)}')
    trans = affinity.float()
    for _ in range(3):
        trans = trans / trans.sum(1, keepdim=True).clamp_min(1e-12)
        trans = trans / trans.sum(2, keepdim=True).clamp_min(1e-12)
    trans = (trans + trans.transpose(1, 2)) / 2
    trans = trans @ trans
    maps = probs.float().flatten(2)  # (N, K, hw)
    boxes = _boxes(probs.float(), box_thresh).flatten(2)
    refined = torch.einsum('nij,nkj->nki', trans, maps * boxes)
    refined = refined / refined.sum(1, keepdim=True).clamp_min(1e-12)
    return refined.reshape(n, k, h, w)


def _boxes(probs: Tensor, thresh: float) -> Tensor:
    """``(N, K, h, w)`` 0/1: each class's box around its strong part."""
    strong = probs >= thresh * probs.amax((2, 3), keepdim=True)
    strong &= probs > 0
    rows, cols = strong.any(3), strong.any(2)  # (N, K, h), (N, K, w)
    ys = torch.arange(probs.shape[2], device=probs.device)
    xs = torch.arange(probs.shape[3], device=probs.device)
    in_rows = _span(rows, ys)
    in_cols = _span(cols, xs)
    return (in_rows[..., :, None] & in_cols[..., None, :]).float()


def _span(hit: Tensor, index: Tensor) -> Tensor:
    """Positions between the first and last hit along the last axis."""
    big = index.numel()
    first = torch.where(hit, index, big).amin(-1, keepdim=True)
    last = torch.where(hit, index, -1).amax(-1, keepdim=True)
    return (index >= first) & (index <= last)
