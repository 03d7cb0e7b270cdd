from typing import Sequence, Tuple

import torch.nn.functional as F
from mmseg.models.decode_heads.decode_head import BaseDecodeHead
from mmseg.registry import MODELS
from torch import Tensor, nn

from vlkd_seg.utils.errors import ConfigError, number_in_range


@MODELS.register_module()
class CLIPSegHead(BaseDecodeHead):
    """CLIPSeg's decoder (Lüddecke & Ecker, CVPR 2022): a light transformer
    on a frozen CLIP ViT's activations, conditioned on a prompt embedding.

    The activations of the extracted blocks are reduced to ``channels``
    (64 in the release) and added deep to shallow, each sum going through
    one transformer layer (``transformers``' ``CLIPSegDecoderLayer``:
    post-norm, ReLU); after the ``conditional_layer``-th reduction the
    prompt embedding ``c`` modulates the tokens by FiLM,
    ``W_mul(c) * a + W_add(c)``. The class token is dropped and a
    transposed convolution of the patch size ("refined" weights: a 3x3
    convolution and two transposed convolutions) gives one binary logit
    map per (image, prompt) pair. The parameter names are those of
    ``transformers``' ``CLIPSegDecoder``, so its ``decoder.*`` weights load
    as they are.

    Args:
        in_channels (int): Width of the CLIP ViT (its activations).
        embed_dim (int): Dimension of the prompt embeddings (CLIP's joint
            space).
        num_stages (int): Number of extracted blocks (release: 3).
        patch_size (int): The ViT's patch size: the upsampling factor.
        channels (int): Reduced width (release: 64).
        num_heads (int): Heads of the decoder layers (release: 4).
        ffn_channels (int): Hidden width of their MLP (release: 2048).
        conditional_layer (int): After which reduction (deep to shallow,
            from 0) FiLM applies (release: 0).
        refined (bool): The deeper upsampler of the "refined" weights.
        attn_dropout (float): Attention dropout of the decoder layers.
        **kwargs: ``BaseDecodeHead`` arguments (``loss_decode``, ...).
    """

    def __init__(self,
                 in_channels: int,
                 embed_dim: int,
                 num_stages: int = 3,
                 patch_size: int = 16,
                 channels: int = 64,
                 num_heads: int = 4,
                 ffn_channels: int = 2048,
                 conditional_layer: int = 0,
                 refined: bool = False,
                 attn_dropout: float = 0.,
                 **kwargs):
        kwargs.setdefault('num_classes', 1)
        kwargs.setdefault('threshold', 0.5)
        kwargs.setdefault(
            'loss_decode',
            dict(
                type='CrossEntropyLoss', use_sigmoid=True,
                avg_non_ignore=True))
        super().__init__(
            in_channels=in_channels,
            channels=channels,
            dropout_ratio=0,
            **kwargs)
        del self.conv_seg  # the upsampler makes the logits
        _check(channels, num_heads, num_stages, conditional_layer)
        self.conditional_layer = conditional_layer
        self.film_mul = nn.Linear(embed_dim, channels)
        self.film_add = nn.Linear(embed_dim, channels)
        self.reduces = nn.ModuleList(
            nn.Linear(in_channels, channels) for _ in range(num_stages))
        self.layers = nn.ModuleList(
            _decoder_layer(
                channels, num_heads, ffn_channels,
                number_in_range(attn_dropout, 'CLIPSegHead attn_dropout', 0,
                                1)) for _ in range(num_stages))
        self.transposed_convolution = _upsampler(channels, patch_size, refined)

    def init_weights(self) -> None:
        """PyTorch's default initialisation (the release trains from it)."""

    def forward(
            self, inputs: Tuple[Sequence[Tensor], Tensor,
                                Tuple[int, int]]) -> Tensor:
        """Binary mask logits of (image, prompt) pairs.

        Args:
            inputs (tuple): The extracted activations, shallow to deep,
                each ``(B, 1 + h * w, in_channels)`` (class token first);
                the prompt embeddings ``(B, embed_dim)``; the grid
                ``(h, w)``. Row b of every tensor is one pair.

        Returns:
            Tensor: ``(B, 1, h * patch, w * patch)`` logits.
        """
        activations, prompts, (h, w) = inputs
        if len(activations) != len(self.layers):
            raise ConfigError(
                f'CLIPSegHead got {len(activations)} activations for '
                f'{len(self.layers)} stages: extract as many blocks as the '
                'head has num_stages')
        x = None
        for i, (act, reduce, layer) in enumerate(
                zip(activations[::-1], self.reduces, self.layers)):
            x = reduce(act) if x is None else reduce(act) + x
            if i == self.conditional_layer:
                x = self.film_mul(prompts)[:, None] * x + self.film_add(
                    prompts)[:, None]
            x = layer(x, attention_mask=None, causal_attention_mask=None)[0]
        grid = x[:, 1:].transpose(1, 2).reshape(len(x), -1, h, w)
        return self.transposed_convolution(grid)

    def loss_by_feat(self, seg_logits: Tensor, targets: Tensor) -> dict:
        """Losses of binary targets.

        Args:
            seg_logits (Tensor): ``(B, 1, h', w')`` from :meth:`forward`.
            targets (Tensor): ``(B, 1, H, W)``: 1 inside the prompt's mask,
                0 outside, 255 ignored.
        """
        logits = F.interpolate(
            seg_logits,
            size=targets.shape[-2:],
            mode='bilinear',
            align_corners=self.align_corners)
        losses = self.loss_decode if isinstance(
            self.loss_decode, nn.ModuleList) else [self.loss_decode]
        return {
            loss.loss_name:
            loss(logits, targets[:, 0], ignore_index=self.ignore_index)
            for loss in losses
        }


def _decoder_layer(channels: int, num_heads: int, ffn_channels: int,
                   dropout: float) -> nn.Module:
    """``transformers``' post-norm CLIPSeg decoder layer (ReLU MLP)."""
    from transformers.models.clipseg.configuration_clipseg import \
        CLIPSegVisionConfig
    from transformers.models.clipseg.modeling_clipseg import \
        CLIPSegDecoderLayer
    config = CLIPSegVisionConfig(
        hidden_size=channels,
        num_attention_heads=num_heads,
        intermediate_size=ffn_channels,
        hidden_act='relu',
        attention_dropout=dropout)
    config._attn_implementation = 'eager'
    return CLIPSegDecoderLayer(config)


def _upsampler(channels: int, patch_size: int, refined: bool) -> nn.Module:
    """Logits at the image's resolution from ``channels`` maps."""
    if not refined:
        return nn.ConvTranspose2d(channels, 1, patch_size, stride=patch_size)
    if patch_size % 4:
        raise ConfigError(f'the refined CLIPSeg upsampler needs a patch size '
                          f'divisible by 4, got {patch_size}')
    k = patch_size // 4
    return nn.Sequential(
        nn.Conv2d(channels, channels, kernel_size=3, padding=1), nn.ReLU(),
        nn.ConvTranspose2d(channels, channels // 2, kernel_size=k, stride=k),
        nn.ReLU(),
        nn.ConvTranspose2d(channels // 2, 1, kernel_size=k, stride=k))


def _check(channels: int, num_heads: int, num_stages: int,
           conditional_layer: int) -> None:
    for key, value in (('num_heads', num_heads), ('num_stages', num_stages)):
        if not isinstance(value, int) or value < 1:
            raise ConfigError(f'CLIPSegHead {key} must be an integer >= 1, '
                              f'got {value!r}')
    if channels % num_heads:
        raise ConfigError(f'CLIPSegHead channels {channels} must be '
                          f'divisible by num_heads {num_heads}')
    if not (isinstance(conditional_layer, int)
            and 0 <= conditional_layer < num_stages):
        raise ConfigError(f'CLIPSegHead conditional_layer must be a stage '
                          f'index in [0, {num_stages}), got '
                          f'{conditional_layer!r}')
