import os.path as osp
from contextlib import nullcontext
from typing import Dict, List, Optional, Sequence, Tuple, Union

import open_clip
import torch
import torch.nn.functional as F
from mmengine.model import BaseModule
from mmseg.registry import MODELS
from torch import Tensor

from vlkd_seg.utils.errors import ConfigError
from vlkd_seg.utils.io import cache_root
from vlkd_seg.utils.vocabulary import check_class_names
from .affinity import attention_affinity
from .clip_checkpoint import build_clip, open_clip_name
from .dense import dense_features, image_stride
from .prompts import build_prompts, resolve_descriptions, resolve_templates
from .text_cache import TextEmbeddingCache, tower_hash

_DTYPES = dict(fp32=None, bf16=torch.bfloat16, fp16=torch.float16)


def default_text_cache_dir() -> str:
    return osp.join(cache_root(), 'text_embeddings')


@MODELS.register_module()
class CLIPTeacher(BaseModule):
    """A frozen open_clip CLIP: image, text and MaskCLIP dense embeddings.

    The teacher never trains: its parameters do not require gradients, it
    stays in eval mode whatever its parent does, and every method but
    :meth:`judge_images` runs under ``torch.no_grad``. Image inputs are
    normalised with CLIP's own mean and std
    (``open_clip.OPENAI_DATASET_MEAN/STD``).

    Args:
        model_name (str): open_clip architecture name (``'ViT-B-16'``,
            ``'RN50'``) or path of an open_clip JSON model config.
        checkpoint (str, optional): Local weights file (open_clip or OpenAI
            state dict, OpenAI TorchScript archive, safetensors, or a
            ``transformers`` CLIPModel's ``pytorch_model.bin`` /
            ``model.safetensors`` for ViT models). None keeps random
            weights (tests, or a teacher pretrained by the project).
        templates (str | list[str]): Default prompt templates: a set name
            (``'maskclip'``, ``'vild'``, ``'single'``) or a list.
        precision (str): ``'fp32'``, ``'bf16'`` or ``'fp16'`` (autocast).
        text_cache_dir (str, optional): Folder of the text-embedding cache;
            defaults to ``$VLKD_CACHE/text_embeddings``; ``''`` disables the
            on-disk cache.
        quick_gelu (bool, optional): Force QuickGELU; None uses it for
            OpenAI TorchScript and transformers-layout checkpoints.
        init_cfg (dict, optional): Unused (weights from ``checkpoint``).
    """

    def __init__(self,
                 model_name: str,
                 checkpoint: Optional[str] = None,
                 templates: Union[str, Sequence[str]] = 'maskclip',
                 precision: str = 'fp32',
                 text_cache_dir: Optional[str] = None,
                 quick_gelu: Optional[bool] = None,
                 init_cfg: Optional[dict] = None):
        super().__init__(init_cfg=init_cfg)
        if precision not in _DTYPES:
            raise ConfigError(f'precision must be one of {list(_DTYPES)}, '
                              f'got {precision!r}')
        self.clip = build_clip(model_name, checkpoint, quick_gelu)
        self.model_name = model_name
        self.templates = resolve_templates(templates)
        self.precision = precision
        self.stride = image_stride(self.clip.visual)
        self.tokenizer = open_clip.get_tokenizer(open_clip_name(model_name))
        self.text_cache = TextEmbeddingCache(default_text_cache_dir(
        ) if text_cache_dir is None else text_cache_dir)
        self._hashes: Dict[str, str] = {}

    @property
    def dtype(self) -> torch.dtype:
        """Dtype of the weights and of every embedding returned."""
        return self.clip.logit_scale.dtype

    @property
    def embed_dim(self) -> int:
        """Dimension D of the joint image-text space."""
        return self.clip.visual.output_dim

    def train(self, mode: bool = True) -> 'CLIPTeacher':
        """Stay in eval mode: the teacher is frozen."""
        return super().train(False)

    def init_weights(self) -> None:
        """Keep the loaded weights (a parent's init must not reset them)."""

    def _autocast(self, x: Tensor):
        dtype = _DTYPES[self.precision]
        if dtype is None:
            return nullcontext()
        return torch.autocast(device_type=x.device.type, dtype=dtype)

    @torch.no_grad()
    def encode_image(self, x: Tensor) -> Tensor:
        """Image embeddings.

        Args:
            x (Tensor): CLIP-normalised images ``(N, 3, H, W)`` at the
                model's input size.

        Returns:
            Tensor: L2-normalised embeddings ``(N, D)``.
        """
        return self.judge_images(x)

    def judge_images(self, x: Tensor) -> Tensor:
        """:meth:`encode_image` keeping the graph: gradients reach ``x``
        (CLIMS trains activation maps through CLIP's view of the images
        they mask); the weights stay frozen.

        Args:
            x (Tensor): CLIP-normalised images ``(N, 3, H, W)``.

        Returns:
            Tensor: L2-normalised embeddings ``(N, D)``.
        """
        with self._autocast(x):
            return F.normalize(
                self.clip.encode_image(x).to(self.dtype), dim=-1)

    @torch.no_grad()
    def encode_text(
            self,
            names: Sequence[str],
            templates: Optional[Union[str, Sequence[str]]] = None,
            descriptions: Optional[Union[str,
                                         Sequence[str]]] = None) -> Tensor:
        """Class text embeddings (the text bank), cached: per class, the
        renormalised mean of its prompts' normalised embeddings.

        Args:
            names (Sequence[str]): Class names (no blanks or duplicates).
            templates (str | Sequence[str], optional): Overrides the
                teacher's templates.
            descriptions (str | Sequence[str], optional): One sentence per
                class appended to every prompt, or a file with one per line.

        Returns:
            Tensor: ``(K, D)`` on the teacher's device, in its :attr:`dtype`.
        """
        names = check_class_names(names)
        templates = resolve_templates(templates or self.templates)
        descriptions = resolve_descriptions(descriptions, len(names))
        key = self.text_cache.key(self.model_name, self.weights_hash('text'),
                                  templates, names, descriptions,
                                  self.precision)
        bank = self.text_cache.get(key)
        if bank is None:
            bank = torch.stack([
                self._encode_prompts(
                    build_prompts(name, templates,
                                  descriptions[i] if descriptions else None))
                for i, name in enumerate(names)
            ])
            self.text_cache.put(key, bank)
        return bank.to(self.clip.logit_scale)

    def _encode_prompts(self, prompts: List[str]) -> Tensor:
        device = self.clip.logit_scale.device
        tokens = self.tokenizer(prompts).to(device)
        with self._autocast(tokens):
            emb = F.normalize(
                self.clip.encode_text(tokens).to(self.dtype), dim=-1)
        return F.normalize(emb.mean(dim=0), dim=-1)

    def weights_hash(self, tower: str) -> str:
        """Hash of the ``'image'`` or ``'text'`` tower's weights, computed
        once: the key of everything cached from that tower."""
        if tower not in self._hashes:
            self._hashes[tower] = tower_hash(self.clip, tower)
        return self._hashes[tower]

    def _dense(self, x: Tensor, with_keys: bool = False):
        with self._autocast(x):
            feats, keys = dense_features(self.clip.visual, x, self.stride,
                                         with_keys)
        keys = None if keys is None else keys.to(self.dtype)
        return F.normalize(feats.to(self.dtype), dim=1), keys

    @torch.no_grad()
    def dense_features(self, x: Tensor) -> Tensor:
        """MaskCLIP dense features ``(N, D, H / stride, W / stride)``, unit
        norm over D, of CLIP-normalised images ``(N, 3, H, W)``, H and W
        divisible by :attr:`stride`."""
        return self._dense(x)[0]

    @torch.no_grad()
    def dense_features_and_keys(
            self,
            x: Tensor,
            with_keys: bool = True) -> Tuple[Tensor, Optional[Tensor]]:
        """:meth:`dense_features` and, with ``with_keys``, the last block's
        keys ``(N, C, h, w)`` (what ``KeySmoothing`` needs; else None), from
        one forward."""
        return self._dense(x, with_keys)

    @torch.no_grad()
    def attention_affinity(self, x: Tensor, layers: int = 8) -> Tensor:
        """:func:`~.affinity.attention_affinity` ``(N, hw, hw)`` of
        CLIP-normalised images ``(N, 3, H, W)``."""
        with self._autocast(x):
            return attention_affinity(self.clip.visual, x, layers).float()

    @torch.no_grad()
    def dense_logits(self, x: Tensor, text: Tensor) -> Tensor:
        """Class logits of every location, on the cosine scale.

        Args:
            x (Tensor): CLIP-normalised images ``(N, 3, H, W)``.
            text (Tensor): Text bank ``(K, D)`` (normalised here).

        Returns:
            Tensor: ``(N, K, H / stride, W / stride)`` cosines.
        """
        return self.logits_from_features(self.dense_features(x), text)

    @torch.no_grad()
    def logits_from_features(self, feats: Tensor, text: Tensor) -> Tensor:
        """``(N, K, h, w)`` cosines of dense features to the texts.

        Args:
            feats (Tensor): ``(N, D, h, w)`` from :meth:`dense_features`.
            text (Tensor): Text bank ``(K, D)`` (normalised here).
        """
        if text is None or text.dim() != 2 or text.shape[1] != self.embed_dim:
            raise ConfigError(
                f'text embeddings of shape '
                f'{None if text is None else tuple(text.shape)} do not match '
                f'the teacher dimension {self.embed_dim}; build them with '
                'this teacher\'s encode_text')
        text = F.normalize(text.to(feats), dim=-1)
        return torch.einsum('nchw,kc->nkhw', feats, text)
