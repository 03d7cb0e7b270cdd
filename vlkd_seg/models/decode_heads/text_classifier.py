import math
from typing import Optional

import torch
import torch.nn.functional as F
from mmseg.registry import MODELS
from torch import Tensor, nn

from vlkd_seg.utils.errors import ConfigError


class TextClassifier(nn.Module):
    """Pixel classifier against frozen text embeddings (MaskCLIP+ / LSeg).

    Projects features to the CLIP dimension and scores every class by
    ``exp(logit_scale) * cos(pixel, text)``. The text bank is a buffer set by
    :meth:`set_text_embeddings` (saved with the weights); an optional
    learned embedding replaces the background class's text.

    Args:
        in_channels (int): Channels of the features.
        embed_dim (int): CLIP embedding dimension D.
        num_classes (int): Number of classes K.
        temperature (float): Initial temperature; logits are ``cos / T``.
        learnable_temperature (bool): Learn ``log(1 / T)``.
        background_idx (int, optional): Class whose embedding is learned
            (MaskCLIP+'s learnable background), None for none.
    """

    def __init__(self,
                 in_channels: int,
                 embed_dim: int,
                 num_classes: int,
                 temperature: float = 0.07,
                 learnable_temperature: bool = True,
                 background_idx: Optional[int] = None):
        super().__init__()
        self.proj = nn.Conv2d(in_channels, embed_dim, 1)
        self.register_buffer('text', torch.zeros(num_classes, embed_dim))
        self.logit_scale = nn.Parameter(
            torch.tensor(math.log(1 / temperature)),
            requires_grad=learnable_temperature)
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
        if text.dim() != 2 or text.shape[1] != self.proj.out_channels:
            raise ConfigError(
                f'text embeddings {tuple(text.shape)} do not match the '
                f'head\'s embedding dimension {self.proj.out_channels}')
        self.text = F.normalize(text.detach().to(self.proj.weight), dim=-1)

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
        return self.logit_scale.exp() * torch.einsum(
            'ndhw,kd->nkhw', self.embed(x), self.class_embeddings())


@MODELS.register_module()
def TextClassifierHead(head: dict,
                       embed_dim: int,
                       temperature: float = 0.07,
                       learnable_temperature: bool = True,
                       background_idx: Optional[int] = None) -> nn.Module:
    """Any mmseg decode head with its classifier replaced by text embeddings.

    Builds ``head`` (FCNHead, ASPPHead, DepthwiseSeparableASPPHead, ...) and
    swaps its ``conv_seg`` for a :class:`TextClassifier`, so its logits
    become ``exp(tau) * cos(pixel embedding, class text)``. The head keeps
    its own loss, inference and auxiliary behaviour.

    Args:
        head (dict): Config of the mmseg decode head.
        embed_dim (int): CLIP embedding dimension.
        temperature (float): Initial temperature.
        learnable_temperature (bool): Learn the temperature.
        background_idx (int, optional): Class with a learned embedding.

    Returns:
        nn.Module: The built head; ``head.conv_seg`` is the classifier.
    """
    head = MODELS.build(head)
    head.conv_seg = TextClassifier(head.channels, embed_dim, head.out_channels,
                                   temperature, learnable_temperature,
                                   background_idx)
    return head
