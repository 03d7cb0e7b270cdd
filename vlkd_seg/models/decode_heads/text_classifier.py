import math
from typing import Optional

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from vlkd_seg.utils.errors import ConfigError, number_in_range
from .spatial_regularization import SpatialRegularization


class TextClassifier(nn.Module):
    """Pixel embeddings scored against class texts (MaskCLIP+ / LSeg).

    The texts are an argument of every call (the segmentor's
    ``Vocabulary``), so one classifier serves any vocabulary.
    ``'cosine'`` mode (LSeg, vlkd_seg's default): logits are
    ``exp(logit_scale) * cos(pixel, text)``. ``'dot'`` mode (the MaskCLIP+
    release): the embeddings dotted with the unit texts, with no
    normalisation or temperature. An optional learned embedding replaces
    the text of one class (MaskCLIP+'s learned background), and optional
    LSeg spatial regularisation blocks refine the logits.

    Args:
        embed_dim (int): CLIP embedding dimension D.
        mode (str): ``'cosine'`` or ``'dot'``.
        temperature (float): Initial temperature; logits are ``cos / T``
            (``'cosine'`` mode).
        learnable_temperature (bool): Learn ``log(1 / T)``.
        background_idx (int, optional): Class whose embedding is learned,
            None for none.
        background_std (float, optional): Std of that embedding's
            initial entries; None: ``1 / sqrt(D)`` (norm about 1). The
            MaskCLIP+ release draws them from N(0, 1) (norm about
            ``sqrt(D)``): as the classifier normalises it, a larger norm
            turns it more slowly at the same lr.
        regularization (dict, optional): :class:`SpatialRegularization`
            arguments (LSeg), e.g. ``dict(depth=1, kind='bottleneck')``.
    """

    def __init__(self,
                 embed_dim: int,
                 mode: str = 'cosine',
                 temperature: float = 0.07,
                 learnable_temperature: bool = True,
                 background_idx: Optional[int] = None,
                 background_std: Optional[float] = None,
                 regularization: Optional[dict] = None):
        super().__init__()
        if mode not in ('cosine', 'dot'):
            raise ConfigError(f"mode must be 'cosine' or 'dot', got {mode!r}")
        if not temperature > 0:
            raise ConfigError(f'temperature must be > 0, got {temperature}')
        if background_idx is not None and not (isinstance(background_idx, int)
                                               and background_idx >= 0):
            raise ConfigError('background_idx must be a class index >= 0 or '
                              f'None, got {background_idx!r}')
        self.mode = mode
        self.embed_dim = embed_dim
        self.logit_scale = nn.Parameter(
            torch.tensor(math.log(1 / temperature)),
            requires_grad=learnable_temperature) if mode == 'cosine' else None
        self.background_idx = background_idx
        std = 1 / math.sqrt(embed_dim) if background_std is None else \
            number_in_range(background_std, 'background_std', 1e-12)
        self.background = nn.Parameter(
            torch.randn(embed_dim) *
            std) if background_idx is not None else None
        self.regularization = SpatialRegularization(
            **regularization) if regularization else None

    def class_embeddings(self, text: Tensor) -> Tensor:
        """``(K, D)`` unit class embeddings: ``text``, the learned
        background in its row."""
        if text.dim() != 2 or text.shape[1] != self.embed_dim:
            raise ConfigError(
                f'text embeddings {tuple(text.shape)} do not match the '
                f'classifier\'s embedding dimension {self.embed_dim}')
        if self.background is not None:
            if self.background_idx >= len(text):
                raise ConfigError(
                    f'background_idx {self.background_idx} is not a class of '
                    f'the {len(text)} of the vocabulary')
            text = text.clone()
            text[self.background_idx] = self.background
        return F.normalize(text, dim=-1)

    def forward(self, embeddings: Tensor, text: Tensor) -> Tensor:
        """Class logits.

        Args:
            embeddings (Tensor): ``(N, D, h, w)`` pixel embeddings (the
                decode head's output).
            text (Tensor): ``(K, D)`` class texts.

        Returns:
            Tensor: ``(N, K, h, w)`` logits.
        """
        classes = self.class_embeddings(text.to(embeddings))
        if self.mode == 'dot':
            logits = torch.einsum('ndhw,kd->nkhw', embeddings, classes)
        else:
            logits = self.logit_scale.exp() * torch.einsum(
                'ndhw,kd->nkhw', F.normalize(embeddings, dim=1), classes)
        if self.regularization is not None:
            logits = self.regularization(logits)
        return logits
