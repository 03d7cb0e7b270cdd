from types import SimpleNamespace
from typing import List, Optional, Sequence, Tuple, Union

import open_clip
import torch
from mmengine.config import ConfigDict
from mmseg.models.segmentors import BaseSegmentor, EncoderDecoder
from mmseg.registry import MODELS
from mmseg.utils import OptConfigType, SampleList, add_prefix
from torch import Tensor

from vlkd_seg.utils.clip_input import from_pixels, to_pixels
from vlkd_seg.utils.errors import ConfigError, number_in_range, required
from ..label_maps import stacked_labels
from ..teachers import exclude_teacher_from_checkpoints
from .clip_vit_tower import vit_activations, vit_image_embedding
from .clipseg_training import (check_templates, check_train_cfg,
                               phrase_conditions, sample_phrases,
                               training_conditions)
from .clipseg_weights import build_clipseg_parts
from .vocabulary import Vocabulary, VocabularyOwner
from .zegclip_split import check_seen_split


@MODELS.register_module()
class CLIPSeg(VocabularyOwner, EncoderDecoder):
    """CLIPSeg (Lüddecke & Ecker, CVPR 2022): a frozen CLIP ViT and a light
    decoder that answers a prompt with a binary mask.

    The CLIP comes from a ``transformers`` CLIPSeg folder (``weights``: the
    published CLIP and decoder, e.g. ``CIDAS/clipseg-rd64-refined``) or
    from an open_clip architecture and checkpoint (``clip``) with a
    ``CLIPSegHead`` to train (``decode_head``). The image tower runs once
    per image, the head once per (image, prompt) pair; a prompt is a
    phrase (:meth:`encode_text`) or an image (:meth:`encode_image`).

    The semantic mode names a vocabulary (one prompt per class, its name):
    the scores are the masks' sigmoids, the argmax is the label, and the
    vocabulary's ``background_idx`` class (named by no prompt) takes the
    pixels no class reaches ``background_thresh`` on. Training is
    inductive: each image's prompts are the vocabulary's classes but
    ``unseen_idx`` and the background, each with its binary mask (BCE),
    the unseen classes' pixels ignored; inference is ``EncoderDecoder``'s.

    Args:
        weights (str, optional): A ``transformers`` CLIPSeg folder.
        clip (dict, optional): ``model_name`` and ``checkpoint`` of an
            open_clip ViT (without ``weights``).
        decode_head (dict, optional): ``CLIPSegHead`` config (without
            ``weights``); its sizes default to the CLIP's.
        extract_layers (Sequence[int]): CLIP blocks the head reads (release:
            3, 7, 9; transformers: 3, 6, 9); ``weights`` bring their own.
        class_names (str | Sequence[str]): Vocabulary.
        class_template (str): Each class's prompt (release at test:
            ``'a photo of a {}.'``; ``transformers``: the name, ``'{}'``).
        unseen_idx (Sequence[int]): Classes never prompted in training.
        background_idx (int, optional): The vocabulary's catch-all class.
        background_thresh (float): Score below which a pixel is background.
        train_cfg (dict, optional): ``prompt_templates`` and
            ``text_weight`` (:func:`.clipseg_training.check_train_cfg`).
        data_preprocessor, test_cfg, init_cfg: As mmseg's.
        pretrained (str, optional): Accepted for ``init_model``; None.
    """

    def __init__(self,
                 weights: Optional[str] = None,
                 clip: Optional[dict] = None,
                 decode_head: Optional[dict] = None,
                 extract_layers: Sequence[int] = (3, 6, 9),
                 class_names: Union[str, Sequence[str], None] = None,
                 class_template: str = '{}',
                 unseen_idx: Sequence[int] = (),
                 background_idx: Optional[int] = None,
                 background_thresh: float = 0.5,
                 data_preprocessor: OptConfigType = None,
                 train_cfg: OptConfigType = None,
                 test_cfg: OptConfigType = None,
                 pretrained: Optional[str] = None,
                 init_cfg: OptConfigType = None):
        BaseSegmentor.__init__(  # EncoderDecoder's builds a backbone
            self,
            data_preprocessor=data_preprocessor,
            init_cfg=init_cfg)
        if pretrained is not None:
            raise ConfigError(f'pretrained={pretrained!r}: CLIPSeg takes its '
                              'weights from weights= or clip.checkpoint')
        parts = build_clipseg_parts(weights, clip, decode_head, extract_layers)
        self.clip, self.clip_name = parts.clip, parts.clip_name
        self.extract_layers = parts.extract_layers
        self.decode_head = head = parts.head
        self.align_corners = head.align_corners
        self.train_cfg, self.test_cfg = train_cfg, ConfigDict(
            test_cfg or dict(mode='whole'))
        self.train_settings = check_train_cfg(train_cfg)
        self.tokenizer = open_clip.get_tokenizer(self.clip_name)
        exclude_teacher_from_checkpoints(self, 'clip')
        self.vocabulary = Vocabulary(self.embed_dim, normalize=False)
        self.class_template = check_templates([class_template],
                                              'class_template')[0]
        self.set_vocabulary(required(class_names, 'class_names', 'CLIPSeg'))
        self.unseen_idx = check_seen_split(unseen_idx, self.num_classes)
        if background_idx is not None and not (0 <= background_idx <
                                               self.num_classes):
            raise ConfigError(f'CLIPSeg background_idx {background_idx} is '
                              f'not a class of the {self.num_classes}')
        self.background_idx = background_idx
        self.background_thresh = number_in_range(background_thresh,
                                                 'CLIPSeg background_thresh',
                                                 0, 1)

    # -- vocabulary and prompts ---------------------------------------------
    @property
    def embed_dim(self) -> int:
        return self.clip.text_projection.shape[1]

    @torch.no_grad()
    def encode_text(self,
                    prompts: Sequence[str],
                    descriptions: Optional[Sequence[str]] = None) -> Tensor:
        """``(P, D)`` unnormalised CLIP text embeddings of phrases (with
        their descriptions appended, if any)."""
        prompts = list(prompts)
        if any(not isinstance(p, str) or not p.strip() for p in prompts):
            raise ConfigError(f'CLIPSeg prompts must be non-empty phrases, '
                              f'got {prompts!r}')
        if descriptions is not None:
            prompts = [f'{p}, {d}' for p, d in zip(prompts, descriptions)]
        device = self.clip.text_projection.device
        return self.clip.encode_text(self.tokenizer(prompts).to(device))

    def set_vocabulary(self, class_names, descriptions=None) -> None:
        """Segment ``class_names`` from now on (no retraining involved),
        each prompted as ``class_template`` says."""
        self.vocabulary.name(
            class_names,
            SimpleNamespace(
                encode_text=lambda names, descriptions: self.encode_text(
                    [self.class_template.format(n)
                     for n in names], descriptions)), descriptions)

    # -- inference ----------------------------------------------------------
    @torch.no_grad()
    def extract_feat(self,
                     inputs: Tensor) -> Tuple[List[Tensor], Tuple[int, int]]:
        """The extracted blocks' outputs ``(N, 1 + h * w, C)`` and ``(h,
        w)``, from normalised ``(N, 3, H, W)`` images."""
        return vit_activations(self.clip.visual, inputs, self.extract_layers)

    @torch.no_grad()
    def encode_image(self, inputs: Tensor, masks: Tensor) -> Tensor:
        """``(N, D)`` image prompts: CLIP's (unnormalised) embeddings of
        support images whose pixels outside their masks are darkened to
        10 % (the CLIPSeg paper's best visual prompt without cropping).

        Args:
            inputs (Tensor): ``(N, 3, H, W)`` images normalised as the query
                images (this model's data preprocessor).
            masks (Tensor): ``(N, 1, H, W)`` the objects, 1 inside.
        """
        if masks.shape[-2:] != inputs.shape[-2:] or masks.shape[1] != 1:
            raise ConfigError(
                f'image prompt masks {tuple(masks.shape)} do not fit their '
                f'images {tuple(inputs.shape)}: one mask per image, same size')
        pixels = to_pixels(self.data_preprocessor, inputs)
        darker = pixels * (0.1 + 0.9 * masks.to(pixels))
        return vit_image_embedding(self.clip.visual,
                                   from_pixels(self.data_preprocessor, darker))

    def prompt_logits(self, inputs: Tensor, prompts: Tensor) -> Tensor:
        """``(N, P, H', W')`` mask logits of every image and prompt.

        Args:
            inputs (Tensor): ``(N, 3, H, W)`` images as this model's data
                preprocessor normalises them.
            prompts (Tensor): ``(P, D)`` prompt embeddings, or ``(N, P,
                D)`` one set per image.
        """
        (activations, grid), n, p = self.extract_feat(inputs), len(inputs), \
            prompts.shape[-2]
        pairs = [a.repeat_interleave(p, dim=0) for a in activations]
        prompts = prompts.to(inputs)
        prompts = prompts.flatten(0, 1) if prompts.dim() == 3 else \
            prompts.repeat(n, 1)
        logits = self.decode_head.forward((pairs, prompts, grid))
        return logits.reshape(n, p, *logits.shape[-2:])

    def encode_decode(self, inputs: Tensor,
                      batch_img_metas: List[dict]) -> Tensor:
        """``(N, K, H, W)`` class scores: mask sigmoids, the background's
        ``background_thresh``; ``(N, 2, H, W)`` where the images name their
        phrases (``PhraseMaskDataset``): ``background_thresh``, then the
        sigmoid of the phrase's mask."""
        phrases = sample_phrases(batch_img_metas)
        if phrases is None:
            channels, named = self.num_classes, [
                i for i in range(self.num_classes) if i != self.background_idx
            ]
            prompts = self.vocabulary.text[named]
        else:
            channels, named = 2, [1]
            prompts = self.encode_text(phrases)[:, None]
        logits = self.decode_head.predict_by_feat(
            self.prompt_logits(inputs, prompts), batch_img_metas)
        scores = logits.new_full((len(inputs), channels, *logits.shape[-2:]),
                                 self.background_thresh)
        scores[:, named] = logits.sigmoid()
        return scores

    # -- training -----------------------------------------------------------
    def loss(self, inputs: Tensor, data_samples: SampleList) -> dict:
        """BCE of each trained class's mask on every image (inductive),
        conditioned as ``train_cfg`` says (:mod:`.clipseg_training`); BCE
        of each image's own phrase where the samples name one."""
        labels = stacked_labels(data_samples)
        phrases = sample_phrases([s.metainfo for s in data_samples])
        if phrases is not None:
            return add_prefix(
                self.decode_head.loss_by_feat(
                    self.prompt_logits(
                        inputs, phrase_conditions(self, inputs, labels,
                                                  phrases)), labels), 'decode')
        trained = [
            i for i in range(self.num_classes)
            if i not in self.unseen_idx and i != self.background_idx
        ]
        logits = self.prompt_logits(
            inputs, training_conditions(self, inputs, labels, trained))
        ignored = (labels == 255) | torch.isin(
            labels, labels.new_tensor(self.unseen_idx))
        targets = torch.stack([(labels[:, 0] == k) for k in trained], dim=1)
        targets = targets.long().masked_fill(ignored, 255)
        losses = self.decode_head.loss_by_feat(
            logits.flatten(0, 1)[:, None],
            targets.flatten(0, 1)[:, None])
        return add_prefix(losses, 'decode')

    def _forward(self, inputs: Tensor, data_samples: SampleList = None):
        return self.prompt_logits(inputs, self.vocabulary.text)

    def train(self, mode: bool = True) -> 'CLIPSeg':
        """The CLIP always runs in eval mode."""
        super().train(mode)
        self.clip.eval()
        return self
