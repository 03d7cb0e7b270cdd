import math
from typing import Optional, Tuple

import torch
import torch.nn.functional as F
from mmengine.model import BaseModule
from mmseg.registry import MODELS
from open_clip.transformer import VisionTransformer
from torch import Tensor, nn

from vlkd_seg.utils.errors import ConfigError, number_in_range
from ..teachers.clip_checkpoint import build_clip
from ..teachers.dense import run_block, vit_tokens


@MODELS.register_module()
class PromptedCLIPViT(BaseModule):
    """A frozen open_clip ViT image tower with deep visual prompts (VPT).

    ZegCLIP's image encoder (Zhou et al., CVPR 2023): ``num_tokens``
    learnable prompt tokens go in after the class token, before each of the
    first ``prompt_layers`` blocks; each block's prompt outputs are dropped
    and fresh prompts take their place (VPT-deep). Prompts pass through one
    shared ``Linear(C, C)`` and dropout. After the last block a learnable
    LayerNorm, then CLIP's frozen ``ln_post`` and projection, map every
    token into the joint space. Only the prompts, their projection and that
    norm train; the CLIP weights come from a local file and stay frozen.
    Inputs of any size work: the positional embeddings are resized from
    the checkpoint's grid to the input's (non-square included).

    Args:
        model_name (str): open_clip ViT architecture (``'ViT-B-16'``) or a
            JSON model config.
        checkpoint (str, optional): Local CLIP weights (see
            ``CLIPTeacher``); None keeps random weights (tests).
        num_tokens (int): Prompt tokens per layer (ZegCLIP: 10 VOC, 100
            COCO).
        prompt_layers (int, optional): Blocks that get fresh prompts,
            from the first; None = all (ZegCLIP).
        prompt_dropout (float): Dropout on the prompts (ZegCLIP: 0.1).
        pos_interp (str): Mode of the positional-embedding resize
            (ZegCLIP: ``'bilinear'``).
        quick_gelu (bool, optional): As ``CLIPTeacher``'s.
        init_cfg (dict, optional): Unused (weights from ``checkpoint``).
    """

    def __init__(self,
                 model_name: str,
                 checkpoint: Optional[str] = None,
                 num_tokens: int = 10,
                 prompt_layers: Optional[int] = None,
                 prompt_dropout: float = 0.1,
                 pos_interp: str = 'bilinear',
                 quick_gelu: Optional[bool] = None,
                 init_cfg: Optional[dict] = None):
        super().__init__(init_cfg=init_cfg)
        visual = build_clip(model_name, checkpoint, quick_gelu).visual
        if not isinstance(visual, VisionTransformer):
            raise ConfigError(f'PromptedCLIPViT needs a ViT CLIP, and '
                              f'{model_name!r} has a {type(visual).__name__}')
        self.visual = visual.requires_grad_(False)
        depth = len(visual.transformer.resblocks)
        prompt_layers = depth if prompt_layers is None else prompt_layers
        _check_prompt_options(num_tokens, prompt_layers, depth, pos_interp)
        width = visual.conv1.out_channels
        self.pos_interp = pos_interp
        self.prompts = nn.Parameter(
            torch.empty(prompt_layers, num_tokens, width))
        self.prompt_proj = nn.Linear(width, width)
        self.prompt_dropout = nn.Dropout(
            number_in_range(prompt_dropout, 'PromptedCLIPViT prompt_dropout',
                            0, 1))
        self.prompt_norm = nn.LayerNorm(width, eps=1e-6)
        self._init_prompts(visual.conv1.kernel_size[0])

    @property
    def embed_dim(self) -> int:
        """Dimension D of the joint space."""
        return self.visual.output_dim

    def _init_prompts(self, patch: int) -> None:
        """VPT's initialisation, as ZegCLIP's release: prompts uniform in
        ``+-sqrt(6 / (3 * patch^2 + C))``, the projection Kaiming-normal."""
        width = self.prompts.shape[-1]
        bound = math.sqrt(6. / (3 * patch * patch + width))
        nn.init.uniform_(self.prompts, -bound, bound)
        nn.init.kaiming_normal_(self.prompt_proj.weight, mode='fan_out')

    def init_weights(self) -> None:
        """Keep the CLIP weights and the prompts' own initialisation."""

    def train(self, mode: bool = True) -> 'PromptedCLIPViT':
        """Train the prompt parts; the CLIP tower stays in eval mode."""
        super().train(mode)
        self.visual.eval()
        return self

    def forward(self, x: Tensor) -> Tuple[Tensor, Tensor]:
        """Embed images.

        Args:
            x (Tensor): ``(N, 3, H, W)`` CLIP-normalised images, H and W
                multiples of the patch size.

        Returns:
            tuple[Tensor, Tensor]: Unit patch embeddings ``(N, D, h, w)``
            and unit global (class-token) embeddings ``(N, D)``.
        """
        patch = self.visual.conv1.stride[0]
        if x.shape[-2] % patch or x.shape[-1] % patch:
            raise ConfigError(f'input {tuple(x.shape[-2:])} is not a '
                              f'multiple of the patch size {patch}: pad it')
        tokens, (h, w) = vit_tokens(self.visual, x, self.pos_interp)
        num_tokens = self.prompts.shape[1]
        for i, block in enumerate(self.visual.transformer.resblocks):
            if i < len(self.prompts):
                keep = tokens[:, 1 + num_tokens:] if i else tokens[:, 1:]
                tokens = torch.cat(
                    [tokens[:, :1], self._prompts(i, x), keep], dim=1)
            tokens = run_block(self.visual, block, tokens)
        tokens = self.visual.ln_post(self.prompt_norm(tokens))
        tokens = tokens @ self.visual.proj
        patches = tokens[:, -h * w:].transpose(1, 2).reshape(len(x), -1, h, w)
        return F.normalize(patches, dim=1), F.normalize(tokens[:, 0], dim=-1)

    def _prompts(self, layer: int, x: Tensor) -> Tensor:
        prompts = self.prompt_dropout(self.prompt_proj(self.prompts[layer]))
        return prompts.to(x.dtype).expand(len(x), -1, -1)


def _check_prompt_options(num_tokens, prompt_layers, depth: int,
                          pos_interp: str) -> None:
    if not isinstance(num_tokens, int) or num_tokens < 1:
        raise ConfigError('PromptedCLIPViT num_tokens must be an integer '
                          f'>= 1, got {num_tokens!r}')
    if not isinstance(prompt_layers, int) or not 1 <= prompt_layers <= depth:
        raise ConfigError('PromptedCLIPViT prompt_layers must be an integer '
                          f'in [1, {depth}] (the tower\'s blocks) or None, '
                          f'got {prompt_layers!r}')
    if pos_interp not in ('bilinear', 'bicubic'):
        raise ConfigError("PromptedCLIPViT pos_interp must be 'bilinear' or "
                          f"'bicubic', got {pos_interp!r}")
