"""MaskCLIP dense features of open_clip image towers (Zhou et al. 2022).

The last attention block's value path, run per token, keeps CLIP's
image-text alignment at every location; the query-key attention is dropped.
"""
from typing import Optional, Tuple

import torch
import torch.nn.functional as F
from open_clip.modified_resnet import ModifiedResNet
from open_clip.transformer import ResidualAttentionBlock, VisionTransformer
from torch import Tensor, nn

from vlkd_seg.utils.errors import ConfigError


def image_stride(visual: nn.Module) -> int:
    """Pixels per dense-feature location of an open_clip image tower."""
    if isinstance(visual, VisionTransformer):
        return visual.conv1.stride[0]
    if isinstance(visual, ModifiedResNet):
        return 32
    raise ConfigError(
        f'MaskCLIP dense features support open_clip VisionTransformer and '
        f'ModifiedResNet towers, not {type(visual).__name__}')


def _interpolate_pos_embed(pos: Tensor,
                           grid: Tuple[int, int],
                           new_grid: Tuple[int, int],
                           mode: str = 'bicubic') -> Tensor:
    """Resize ``(1 + gh * gw, C)`` positional embeddings to a new grid."""
    if tuple(grid) == tuple(new_grid):
        return pos
    cls_pos, patch_pos = pos[:1], pos[1:]
    patch_pos = patch_pos.reshape(1, *grid, -1).permute(0, 3, 1, 2)
    patch_pos = F.interpolate(
        patch_pos.float(), size=new_grid, mode=mode,
        align_corners=False).to(pos.dtype)
    return torch.cat([cls_pos, patch_pos.flatten(2).transpose(1, 2)[0]])


def _value_path(block: ResidualAttentionBlock, x: Tensor,
                with_keys: bool) -> Tuple[Tensor, Optional[Tensor]]:
    """MaskCLIP's last block: values instead of attention, plus the keys.

    Args:
        x (Tensor): Tokens ``(N, L, C)``.
        with_keys (bool): Also return the block's keys.

    Returns:
        tuple[Tensor, Tensor | None]: Output tokens ``(N, L, C)`` and keys
        ``(N, L, C)``.
    """
    attn = block.attn
    _, w_k, w_v = attn.in_proj_weight.chunk(3)
    _, b_k, b_v = attn.in_proj_bias.chunk(3)
    y = block.ln_1(x)
    v = attn.out_proj(F.linear(y, w_v, b_v))
    x = x + block.ls_1(v)
    x = x + block.ls_2(block.mlp(block.ln_2(x)))
    return x, F.linear(y, w_k, b_k) if with_keys else None


def release_keys(visual: nn.Module, keys: Tensor) -> Tensor:
    """Last-block keys ``(N, C, h, w)`` as the MaskCLIP release smooths
    with them: a ViT's through its last attention's ``out_proj`` (applied
    to q, k and v alike there); a ModifiedResNet's as they are."""
    if not isinstance(visual, VisionTransformer):
        return keys
    out_proj = visual.transformer.resblocks[-1].attn.out_proj
    return _conv1x1(keys.to(out_proj.weight), out_proj)


def vit_tokens(visual: VisionTransformer,
               x: Tensor,
               pos_mode: str = 'bicubic') -> Tuple[Tensor, Tuple[int, int]]:
    """The tokens ``(N, 1 + h * w, C)`` (class token first, batch first)
    entering a ViT tower's first block, and the patch grid ``(h, w)``; the
    positional embeddings are resized to the grid (``pos_mode``)."""
    blocks = visual.transformer.resblocks
    if visual.attn_pool is not None or not all(
            isinstance(b, ResidualAttentionBlock) for b in blocks):
        raise ConfigError(
            'MaskCLIP needs a ViT with standard attention blocks and no '
            'attentional pooler')
    tokens = visual.conv1(x)
    n, _, h, w = tokens.shape
    tokens = tokens.flatten(2).transpose(1, 2)
    cls = visual.class_embedding.to(tokens.dtype).expand(n, 1, -1)
    tokens = torch.cat([cls, tokens], dim=1)
    pos = _interpolate_pos_embed(visual.positional_embedding, visual.grid_size,
                                 (h, w), pos_mode)
    return visual.ln_pre(tokens + pos.to(tokens.dtype)), (h, w)


def run_block(visual: VisionTransformer, block: ResidualAttentionBlock,
              tokens: Tensor) -> Tensor:
    """One block on batch-first tokens, whatever the tower's layout."""
    if getattr(visual.transformer, 'batch_first', True):
        return block(tokens)
    return block(tokens.transpose(0, 1)).transpose(0, 1)


def vit_dense_features(
        visual: VisionTransformer,
        x: Tensor,
        with_keys: bool = False) -> Tuple[Tensor, Optional[Tensor]]:
    """Dense features of a ViT tower.

    Args:
        visual (VisionTransformer): open_clip image tower.
        x (Tensor): Images ``(N, 3, H, W)``, CLIP-normalised.
        with_keys (bool): Also return the last block's keys.

    Returns:
        tuple[Tensor, Tensor | None]: Features ``(N, D, h, w)`` (not
        normalised) and last-block keys ``(N, C, h, w)``.
    """
    tokens, (h, w) = vit_tokens(visual, x)
    blocks = visual.transformer.resblocks
    for block in blocks[:-1]:
        tokens = run_block(visual, block, tokens)
    tokens, keys = _value_path(blocks[-1], tokens, with_keys)
    feats = visual.ln_post(tokens[:, 1:]) @ visual.proj
    return _to_map(feats, h,
                   w), keys if keys is None else _to_map(keys[:, 1:], h, w)


def resnet_dense_features(
        visual: ModifiedResNet,
        x: Tensor,
        with_keys: bool = False) -> Tuple[Tensor, Optional[Tensor]]:
    """Dense features of a ModifiedResNet tower.

    The attention pool's value and output projections applied as 1x1
    convolutions to the last feature map (no positional embedding).

    Returns:
        tuple[Tensor, Tensor | None]: Features ``(N, D, h, w)`` and, with
        ``with_keys``, keys ``(N, C, h, w)``.
    """
    f = visual.stem(x)
    for layer in (visual.layer1, visual.layer2, visual.layer3, visual.layer4):
        f = layer(f)
    pool = visual.attnpool
    v = _conv1x1(f, pool.v_proj)
    return _conv1x1(v, pool.c_proj), (
        _conv1x1(f, pool.k_proj) if with_keys else None)


def _conv1x1(x: Tensor, linear: nn.Linear) -> Tensor:
    return F.conv2d(x, linear.weight[:, :, None, None], linear.bias)


def _to_map(tokens: Tensor, h: int, w: int) -> Tensor:
    return tokens.transpose(1, 2).reshape(tokens.shape[0], -1, h, w)


def dense_features(visual: nn.Module,
                   x: Tensor,
                   stride: int,
                   with_keys: bool = False) -> Tuple[Tensor, Optional[Tensor]]:
    """MaskCLIP dense features of an open_clip image tower, either kind.

    Args:
        visual (nn.Module): ``ModifiedResNet`` or ``VisionTransformer``.
        x (Tensor): CLIP-normalised images ``(N, 3, H, W)``, H and W
            divisible by ``stride``.
        stride (int): The tower's :func:`image_stride`.
        with_keys (bool): Also return the last block's keys.

    Returns:
        tuple: Features ``(N, D, H / stride, W / stride)`` (not
        normalised) and keys ``(N, C, h, w)`` or None.
    """
    if x.dim() != 4 or x.shape[1] != 3:
        raise ConfigError(f'expected images (N, 3, H, W), got '
                          f'{tuple(x.shape)}')
    h, w = x.shape[-2:]
    if h % stride or w % stride:
        raise ConfigError(
            f'image size {h}x{w} is not divisible by the teacher stride '
            f'{stride}; resize or pad the input to a multiple')
    dense = (
        resnet_dense_features
        if isinstance(visual, ModifiedResNet) else vit_dense_features)
    return dense(visual, x, with_keys)
