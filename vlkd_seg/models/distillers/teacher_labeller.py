import hashlib
from typing import Optional, Sequence

import torch
from mmseg.registry import MODELS
from torch import Tensor, nn

from vlkd_seg.utils.errors import ConfigError
from ..refiners import LabelBatch, build_refiners, need_keys, refine


@MODELS.register_module()
class TeacherLabeller(nn.Module):
    """Pseudo-labels from the frozen teacher's dense (MaskCLIP) logits.

    The logits are ``100 * cosine`` of the teacher's dense features to the
    candidates' texts. Extra ``background_texts`` (CLIP-ES: ``'ground',
    'sky', ...``) join the softmax and their probabilities count for the
    vocabulary's background class. ``refiners`` then change the class
    probabilities in order (``PromptDenoising``, ``KeySmoothing`` and
    ``AttentionAffinity`` on the teacher's grid, ``LocalCRF`` on the
    image; MaskCLIP's order is denoising, then smoothing).

    Args:
        start (int): First iteration whose labels come from here.
        background_texts (Sequence[str]): Names that mean background.
        refiners (Sequence[dict]): Registered refiners, in order.
    """
    needs_teacher = True
    self_training = False

    def __init__(self,
                 start: int = 0,
                 background_texts: Sequence[str] = (),
                 refiners: Sequence[dict] = ()):
        super().__init__()
        self.start = start
        self.background_texts = list(background_texts)
        self.refiners = build_refiners(refiners, 'TeacherLabeller')
        self.register_buffer(
            'background_text', torch.zeros(0, 0), persistent=False)

    def setup(self, student: nn.Module, teacher: nn.Module) -> None:
        """Encode the background texts with the teacher's text tower."""
        self.background_text = teacher.encode_text(
            self.background_texts) if self.background_texts else torch.zeros(
                0, teacher.embed_dim)

    @property
    def needs_keys(self) -> bool:
        """Whether a refiner reads the teacher's last-block keys."""
        return need_keys(self.refiners)

    def observe(self, student: nn.Module) -> None:
        """A training step of the student (nothing to follow here)."""

    def forward(self, batch: LabelBatch) -> Tensor:
        """``(N, C, h, w)`` log-probabilities over ``batch.candidates``."""
        logits = batch.restrict(self._logits(batch))
        if not self.refiners:
            return logits
        return batch.restrict(refine(logits, self.refiners, batch))

    def _logits(self, batch: LabelBatch) -> Tensor:
        candidates = batch.candidates
        text = torch.cat(
            [batch.text[candidates],
             self.background_text.to(batch.text)])
        logits = 100 * batch.teacher.logits_from_features(
            batch.teacher_features[0], text)
        if not self.background_texts:
            return logits
        if batch.background_idx not in candidates:
            raise ConfigError(
                'background_texts count for the background class: set the '
                "distiller's background_idx to a class pseudo-labels may take")
        return fold_background(logits, len(candidates),
                               candidates.index(batch.background_idx))

    def settings(self, text: Tensor) -> dict:
        """What these labels depend on besides the image and the teacher's
        weights (the key of a folder of cached masks)."""
        texts = torch.cat([text, self.background_text.to(text)])
        return dict(
            texts=hashlib.sha1(
                texts.float().cpu().numpy().tobytes()).hexdigest()[:16],
            refiners=[
                dict(type=type(r).__name__, **r.settings)
                for r in self.refiners
            ])


def fold_background(logits: Tensor, num_classes: int,
                    background_idx: Optional[int]) -> Tensor:
    """Fold the channels after ``num_classes`` into ``background_idx``.

    Args:
        logits (Tensor): ``(N, K + B, h, w)`` softmax logits: K classes then
            B background texts.
        num_classes (int): K.
        background_idx (int): The channel the B channels belong to.

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
