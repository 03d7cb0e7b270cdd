import math
from typing import Optional

import torch
import torch.nn.functional as F
from mmseg.registry import MODELS
from torch import Tensor, nn

from vlkd_seg.utils.errors import ConfigError


class TextClassifier(nn.Module):
    """Pixel classifier against frozen text embeddings (MaskCLIP+ / LSeg).

    ``'cosine'`` mode (LSeg, vlkd_seg's default): a 1x1 projection to the
    CLIP dimension, then ``exp(logit_scale) * cos(pixel, text)``.
    ``'dot'`` mode (the MaskCLIP+ release): the head's features, already of
    the CLIP dimension, dotted with the unit text embeddings, with no
    projection, normalisation or temperature. The text bank is a buffer
    set by :meth:`set_text_embeddings` (saved with the weights); an
    optional learned embedding replaces the background class's text.

    Args:
        in_channels (int): Channels of the features (= ``embed_dim`` in
            ``'dot'`` mode).
        embed_dim (int): CLIP embedding dimension D.
        num_classes (int): Number of classes K.
        temperature (float): Initial temperature; logits are ``cos / T``
            (``'cosine'`` mode).
        learnable_temperature (bool): Learn ``log(1 / T)``.
        background_idx (int, optional): Class whose embedding is learned
            (MaskCLIP+'s learnable background), None for none.
        mode (str): ``'cosine'`` or ``'dot'``.
    """

    def __init__(self,
                 in_channels: int,
                 embed_dim: int,
                 num_classes: int,
                 temperature: float = 0.07,
                 learnable_temperature: bool = True,
                 background_idx: Optional[int] = None,
                 mode: str = 'cosine'):
        super().__init__()
        if mode not in ('cosine', 'dot'):
            raise ConfigError(f"mode must be 'cosine' or 'dot', got {mode!r}")
        if mode == 'dot' and in_channels != embed_dim:
            raise ConfigError(
                f"mode='dot' classifies the head's features as they are: "
                f'the head has {in_channels} channels but the text '
                f'{embed_dim}; set the head\'s channels to {embed_dim}.')
        self.mode = mode
        self.embed_dim = embed_dim
        self.proj = nn.Conv2d(in_channels, embed_dim,
                              1) if mode == 'cosine' else nn.Identity()
        self.register_buffer('text', torch.zeros(num_classes, embed_dim))
        self.logit_scale = nn.Parameter(
            torch.tensor(math.log(1 / temperature)),
            requires_grad=learnable_temperature) if mode == 'cosine' else None
        self.background_idx = background_idx
        self.background = nn.Parameter(
            torch.randn(embed_dim) /
            math.sqrt(embed_dim)) if background_idx is not None else None

    @property
    def num_classes(self) -> int:
        return self.text.shape[0]

    def set_text_embeddings(self, text: Tensor) -> None:
        """Use ``text`` ``(K, D)`` as the class bank (any K: vocabulary
        swap); the learned background, if any, keeps its index."""
        if text.dim() != 2 or text.shape[1] != self.embed_dim:
            raise ConfigError(
                f'text embeddings {tuple(text.shape)} do not match the '
                f'head\'s embedding dimension {self.embed_dim}')
        self.text = F.normalize(text.detach().to(self.text), dim=-1)

    def class_embeddings(self) -> Tensor:
        """``(K, D)`` unit class embeddings, learned background included."""
        text = self.text
        if self.background is not None:
            text = text.clone()
            text[self.background_idx] = self.background
        return F.normalize(text, dim=-1)

    def embed(self, x: Tensor) -> Tensor:
        """Unit pixel embeddings ``(N, D, h, w)``."""
        return F.normalize(self.proj(x), dim=1)

    def forward(self, x: Tensor) -> Tensor:
        """Class logits ``(N, K, h, w)``."""
        if self.mode == 'dot':
            return torch.einsum('ndhw,kd->nkhw', x, self.class_embeddings())
        return self.logit_scale.exp() * torch.einsum(
            'ndhw,kd->nkhw', self.embed(x), self.class_embeddings())


@MODELS.register_module()
def TextClassifierHead(head: dict,
                       embed_dim: int,
                       temperature: float = 0.07,
                       learnable_temperature: bool = True,
                       background_idx: Optional[int] = None,
                       mode: str = 'cosine') -> nn.Module:
    """Any mmseg decode head with its classifier replaced by text embeddings.

    Builds ``head`` (FCNHead, ASPPHead, DepthwiseSeparableASPPHead, ...) and
    swaps its ``conv_seg`` for a :class:`TextClassifier`, so its logits
    become ``exp(tau) * cos(pixel embedding, class text)`` (``'cosine'``) or
    ``features . text`` (``'dot'``, MaskCLIP+). The head keeps its own
    loss, inference and auxiliary behaviour.

    Args:
        head (dict): Config of the mmseg decode head.
        embed_dim (int): CLIP embedding dimension.
        temperature (float): Initial temperature.
        learnable_temperature (bool): Learn the temperature.
        background_idx (int, optional): Class with a learned embedding.
        mode (str): ``'cosine'`` or ``'dot'`` (see :class:`TextClassifier`).

    Returns:
        nn.Module: The built head; ``head.conv_seg`` is the classifier.
    """
    head = MODELS.build(head)
    head.conv_seg = TextClassifier(head.channels, embed_dim, head.out_channels,
                                   temperature, learnable_temperature,
                                   background_idx, mode)
    return head
