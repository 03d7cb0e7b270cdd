from typing import Sequence, Tuple

import torch
from mmseg.models.decode_heads.decode_head import BaseDecodeHead
from mmseg.registry import MODELS
from torch import Tensor, nn

from vlkd_seg.utils.errors import ConfigError, number_in_range


@MODELS.register_module()
class ZegCLIPHead(BaseDecodeHead):
    """ZegCLIP's decoder: class queries from texts attend to patch tokens,
    and their attention logits are the masks (Zhou et al., CVPR 2023).

    The relationship descriptor makes one query per class from its text
    ``T`` and the image's global embedding ``g``: ``Linear([T * g; T])``.
    ``num_layers`` layers of cross-attention (``num_heads`` heads, queries
    to the frozen patch embeddings) and a feed-forward block follow, each
    post-norm as ZegCLIP's release (which builds a self-attention it never
    runs; this head does not build it). The masks are the last layer's
    scaled query-key logits, averaged over heads: ``(N, K, h, w)``, one
    independent (sigmoid) score per class and pixel.

    The texts are an argument (``inputs[2]``), so one head serves any
    vocabulary; ``num_classes`` is not used and may be left at its
    default.

    Args:
        in_channels (int): Dimension D of patches, global embedding and
            texts (CLIP's joint space).
        num_layers (int): Decoder layers (ZegCLIP: 3).
        num_heads (int): Attention heads (ZegCLIP: 8).
        ffn_channels (int): Hidden width of the feed-forward block
            (ZegCLIP: 2048 for D = 512).
        attn_dropout (float): Dropout of attention weights, attention
            output and feed-forward block (ZegCLIP: 0.1).
        **kwargs: ``BaseDecodeHead`` arguments (``loss_decode``,
            ``align_corners``, ...).
    """

    def __init__(self,
                 in_channels: int,
                 num_layers: int = 3,
                 num_heads: int = 8,
                 ffn_channels: int = 2048,
                 attn_dropout: float = 0.1,
                 **kwargs):
        kwargs.setdefault('num_classes', in_channels)
        kwargs.update(channels=in_channels, dropout_ratio=0)
        super().__init__(in_channels=in_channels, **kwargs)
        del self.conv_seg  # the masks are attention logits
        _check(in_channels, num_layers, num_heads, ffn_channels)
        dropout = number_in_range(attn_dropout, 'ZegCLIPHead attn_dropout', 0,
                                  1)
        self.query_proj = nn.Linear(2 * in_channels, in_channels)
        self.layers = nn.ModuleList(
            _QueryPatchLayer(in_channels, num_heads, ffn_channels, dropout)
            for _ in range(num_layers))

    def init_weights(self) -> None:
        """PyTorch's default initialisation, as ZegCLIP's release trains
        from (its ``init_weights`` is never called)."""

    def class_queries(self, text: Tensor, image: Tensor) -> Tensor:
        """The relationship descriptor ``Linear([T * g; T])``.

        Args:
            text (Tensor): ``(K, D)`` class texts.
            image (Tensor): ``(N, D)`` global image embeddings.

        Returns:
            Tensor: ``(N, K, D)`` class queries.
        """
        text = text.to(image).expand(len(image), -1, -1)
        return self.query_proj(
            torch.cat([text * image[:, None], text], dim=-1))

    def forward(self, inputs: Sequence[Tensor]) -> Tensor:
        """Mask logits of every class.

        Args:
            inputs (Sequence[Tensor]): Unit patch embeddings ``(N, D, h,
                w)``, unit global embeddings ``(N, D)`` and texts ``(K,
                D)``.

        Returns:
            Tensor: ``(N, K, h, w)`` logits (sigmoid scores per class).
        """
        patches, image, text = inputs
        if text.dim() != 2 or text.shape[1] != self.in_channels:
            raise ConfigError(
                f'texts of shape {tuple(text.shape)} for a ZegCLIPHead of '
                f'{self.in_channels} channels: encode them with the CLIP '
                'of the image encoder')
        n, d, h, w = patches.shape
        memory = patches.flatten(2).transpose(1, 2)
        queries = self.class_queries(text, image)
        for layer in self.layers:
            queries, logits = layer(queries, memory)
        return logits.reshape(n, -1, h, w)


class _QueryPatchLayer(nn.Module):
    """Cross-attention of class queries to patches, then a feed-forward
    block, post-norm; also returns the head-averaged attention logits."""

    def __init__(self, dim: int, num_heads: int, ffn_channels: int,
                 dropout: float):
        super().__init__()
        self.num_heads = num_heads
        self.q, self.k, self.v, self.proj = (
            nn.Linear(dim, dim) for _ in range(4))
        self.attn_drop = nn.Dropout(dropout)
        self.out_drop = nn.Dropout(dropout)
        self.norm_attn = nn.LayerNorm(dim)
        self.ffn = nn.Sequential(
            nn.Linear(dim, ffn_channels), nn.ReLU(inplace=True),
            nn.Dropout(dropout), nn.Linear(ffn_channels, dim),
            nn.Dropout(dropout))
        self.norm_ffn = nn.LayerNorm(dim)

    def _heads(self, x: Tensor) -> Tensor:
        n, length, dim = x.shape
        return x.reshape(n, length, self.num_heads, -1).transpose(1, 2)

    def forward(self, queries: Tensor,
                memory: Tensor) -> Tuple[Tensor, Tensor]:
        """``(N, K, D)`` queries and ``(N, L, D)`` patches to the updated
        queries and the ``(N, K, L)`` head-averaged scaled logits."""
        q, k, v = (self._heads(f(x))
                   for f, x in ((self.q, queries), (self.k, memory), (self.v,
                                                                      memory)))
        logits = q @ k.transpose(-2, -1) * q.shape[-1]**-0.5
        attended = self.attn_drop(logits.softmax(dim=-1)) @ v
        attended = attended.transpose(1, 2).flatten(2)
        queries = self.norm_attn(queries + self.out_drop(self.proj(attended)))
        queries = self.norm_ffn(queries + self.ffn(queries))
        return queries, logits.mean(dim=1)


def _check(dim: int, num_layers: int, num_heads: int,
           ffn_channels: int) -> None:
    for key, value in (('num_layers', num_layers), ('num_heads', num_heads),
                       ('ffn_channels', ffn_channels)):
        if not isinstance(value, int) or value < 1:
            raise ConfigError(f'ZegCLIPHead {key} must be an integer >= 1, '
                              f'got {value!r}')
    if dim % num_heads:
        raise ConfigError(f'ZegCLIPHead in_channels {dim} must be divisible '
                          f'by num_heads {num_heads}')
