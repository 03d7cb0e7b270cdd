import hashlib
from typing import List, Optional, Sequence, Tuple

import torch
import torch.nn.functional as F
from mmseg.registry import MODELS
from mmseg.utils import SampleList
from torch import Tensor

from vlkd_seg.datasets.transforms import UNLABELED_INDEX
from vlkd_seg.utils.errors import ConfigError, SetupError
from ..teachers.affinity import class_aware_refine
from .local_crf import LocalCRF
from .pseudo_label_distiller import PseudoLabelDistiller


@MODELS.register_module()
class ImageTagDistiller(PseudoLabelDistiller):
    """Weakly supervised distillation from image-level tags (CLIP-ES style).

    Every training pixel is unlabeled (``ImageTags``); the image's tags say
    which classes it contains. A pixel's pseudo-label is the most likely of
    the image's tagged classes and background: the teacher's
    ``softmax(100 * cosine)`` over the tagged class texts, the background
    class's text and the extra ``background_texts`` (whose probabilities
    count for background), so a class competes with the others and with
    background instead of being scored alone. Pixels less confident than
    ``confidence_thresh`` are ignored. The same teacher -> self-training
    schedule as :class:`PseudoLabelDistiller` follows; self-training labels
    are restricted to the tags too. Teacher probabilities may be refined,
    in CLIP-ES's order, by the teacher's attention affinity
    (:func:`class_aware_refine`, at the teacher's resolution), then, once
    upsampled to the image, by a :class:`LocalCRF` on its colours (CLIP-ES's
    dense CRF step; CLIP-ES then ignores pixels below 0.95).

    Args:
        background_idx (int): The vocabulary's background class.
        background_texts (Sequence[str]): Extra names that mean background
            (CLIP-ES: ``'ground', 'sky', 'wall', ...``); their texts are
            encoded once with the teacher's templates.
        affinity (dict, optional): Class-aware affinity refinement:
            ``dict(layers=8, box_thresh=0.4)`` (CLIP-ES's; ``layers``: ViT
            blocks whose attention is averaged; a ResNet tower's affinity is
            its attention pool's, see :func:`attention_affinity`). None
            (default) skips it.
        crf (dict, optional): :class:`LocalCRF` arguments; None (default)
            takes the teacher's upsampled probabilities as they are.
        **kwargs: :class:`PseudoLabelDistiller` arguments except
            ``unseen_idx`` (every pixel is unlabeled: ``'all'``).
    """

    def __init__(self,
                 background_idx: int = 0,
                 background_texts: Sequence[str] = (),
                 affinity: Optional[dict] = None,
                 crf: Optional[dict] = None,
                 **kwargs):
        if kwargs.pop('unseen_idx', 'all') not in ('all', None):
            raise ConfigError('ImageTagDistiller labels every pixel from '
                              "image tags: leave unseen_idx out (it is 'all')")
        super().__init__(unseen_idx='all', **kwargs)
        if not 0 <= background_idx < len(self.class_names):
            raise ConfigError(f'background_idx {background_idx} is not a '
                              f'class of the {len(self.class_names)}')
        self.background_idx = background_idx
        self.background_texts = list(background_texts)
        extra = self.teacher.encode_text(
            self.background_texts) if self.background_texts else torch.empty(
                0, self.teacher.embed_dim)
        self.register_buffer('background_text', extra, persistent=False)
        self.affinity = _check_affinity(affinity)
        self.crf = None if crf is None else LocalCRF(**crf)

    @torch.no_grad()
    def teacher_pseudo_labels(self, inputs: Tensor,
                              data_samples: SampleList) -> Tensor:
        """The teacher's pseudo-masks of a batch, as training takes them.

        Args:
            inputs (Tensor): ``(N, 3, H, W)`` preprocessed images.
            data_samples (list[SegDataSample]): With ``img_tags``.

        Returns:
            Tensor: ``(N, 1, H, W)`` labels, 255 where below the threshold.
        """
        source = self._per_image(
            self._teacher_source(
                self.teacher_features(inputs), self._candidates()), 'teacher',
            inputs, data_samples)
        unlabeled = inputs.new_full((len(inputs), 1, *inputs.shape[-2:]),
                                    UNLABELED_INDEX,
                                    dtype=torch.long)
        return self._merge(unlabeled, source)

    def _teacher_source(self, teacher: Tuple[Tensor, Optional[Tensor]],
                        candidates: List[int]) -> Tensor:
        """``100 * logits`` over the classes, background texts folded into
        the background class (their probabilities add up)."""
        text = torch.cat([
            self.text[candidates],
            self.background_text.to(self.text)
        ])
        logits = 100 * self.teacher.logits_from_features(*teacher, text=text)
        return fold_background(logits, len(candidates), self.background_idx)

    def pseudo_label_key(self) -> dict:
        """What the teacher's pseudo-masks depend on besides the image:
        the key of a folder of cached masks."""
        return dict(
            teacher=self.teacher.weights_hash('image'),
            texts=hashlib.sha1(
                torch.cat([
                    self.text, self.background_text
                ]).float().cpu().numpy().tobytes()).hexdigest()[:16],
            background_idx=self.background_idx,
            affinity=self.affinity,
            crf=None if self.crf is None else self.crf.settings,
            confidence_thresh=self.confidence_thresh,
            teacher_input_size=None if self.teacher_input_size is None else
            list(self.teacher_input_size))

    def _per_image(self, source: Optional[Tensor], phase: str, inputs: Tensor,
                   data_samples: SampleList) -> Optional[Tensor]:
        """Logits of classes outside an image's tags and background set to
        -1e4 (a finite floor: interpolation of -inf would give NaN); teacher
        logits refined by the CRF, if any, at the inputs' size."""
        allowed = self._allowed(data_samples)  # checks the tags in any phase
        if source is None:
            return None
        outside = ~allowed.to(source.device)[..., None, None]
        source = source.masked_fill(outside, -1e4)
        if phase != 'teacher' or not (self.crf or self.affinity):
            return source
        probs = source.float().softmax(dim=1)
        if self.affinity is not None:
            affinity = self.teacher.attention_affinity(
                self.teacher_view(inputs), self.affinity['layers'])
            probs = class_aware_refine(probs, affinity,
                                       self.affinity['box_thresh'])
        if self.crf is not None:
            probs = self.crf(
                F.interpolate(
                    probs,
                    size=inputs.shape[-2:],
                    mode='bilinear',
                    align_corners=False), self.raw_pixels(inputs))
        return probs.clamp_min(1e-30).log().masked_fill(outside, -1e4)

    def _allowed(self, data_samples: SampleList) -> Tensor:
        """``(N, K)`` bool: each image's tags and the background class."""
        num_classes = len(self.class_names)
        allowed = torch.zeros(len(data_samples), num_classes, dtype=torch.bool)
        for n, sample in enumerate(data_samples):
            tags = sample.metainfo.get('img_tags')
            if tags is None:
                raise SetupError(
                    'a training sample has no img_tags: put ImageTags in the '
                    "train pipeline and 'img_tags' in PackSegInputs' "
                    'meta_keys (vlkd_seg.datasets.TAG_META_KEYS)')
            bad = [t for t in tags if not 0 <= t < num_classes]
            if bad:
                raise SetupError(f'image tags {bad} of '
                                 f'{sample.metainfo.get("img_path", "?")} '
                                 f'are not among the {num_classes} classes')
            allowed[n, list(tags) + [self.background_idx]] = True
        return allowed


def _check_affinity(affinity: Optional[dict]) -> Optional[dict]:
    if affinity is None:
        return None
    unknown = set(affinity) - {'layers', 'box_thresh'}
    if unknown:
        raise ConfigError(f'affinity takes layers and box_thresh, not '
                          f'{sorted(unknown)}')
    return dict(dict(layers=8, box_thresh=0.4), **affinity)


def fold_background(logits: Tensor, num_classes: int,
                    background_idx: int) -> Tensor:
    """Fold the channels after ``num_classes`` into ``background_idx``.

    Args:
        logits (Tensor): ``(N, K + B, h, w)`` softmax logits: K classes then
            B background texts.
        num_classes (int): K.
        background_idx (int): The class the B channels belong to.

    Returns:
        Tensor: ``(N, K, h, w)`` whose softmax equals the ``(K + B)``-way
        softmax with the B probabilities added to the background class.
    """
    if logits.shape[1] == num_classes:
        return logits
    logits = logits.clone()
    background = torch.cat([
        logits[:, background_idx:background_idx + 1], logits[:, num_classes:]
    ],
                           dim=1)
    logits[:, background_idx] = torch.logsumexp(background, dim=1)
    return logits[:, :num_classes]
