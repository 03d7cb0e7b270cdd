"""Image-level vision-language distillation losses (Li et al., 2023,
"Distilling Large Vision-Language Model with Out-of-Distribution
Generalizability").

All functions take raw features of any norm and L2-normalise them.
Shapes: ``student``/``teacher`` ``(B, D)``, ``text`` ``(K, D)``,
``labels`` ``(B,)`` class indices into ``text``.
"""
from typing import Optional

import torch
import torch.nn.functional as F
from torch import Tensor

from vlkd_seg.utils.errors import ConfigError


def check_pair(student: Tensor, teacher: Tensor) -> None:
    """Raise ``ValueError`` unless both are finite ``(B, D)`` of one shape."""
    if student.dim() != 2 or student.shape != teacher.shape:
        raise ConfigError(f'student {tuple(student.shape)} and teacher '
                          f'{tuple(teacher.shape)} features must both be '
                          '(B, D) with the same B and D')
    for name, x in (('student', student), ('teacher', teacher)):
        if not torch.isfinite(x).all():
            raise ConfigError(f'{name} features hold NaN or inf')


def check_text(features: Tensor,
               text: Tensor,
               labels: Optional[Tensor] = None) -> None:
    """Raise ``ValueError`` on a dimension mismatch or labels off the list."""
    if text.dim() != 2 or text.shape[1] != features.shape[-1]:
        raise ConfigError(f'text embeddings {tuple(text.shape)} do not match '
                          f'feature dimension {features.shape[-1]}')
    if labels is not None and labels.numel() and (
            labels.min() < 0 or labels.max() >= text.shape[0]):
        raise ConfigError(f'labels must lie in [0, {text.shape[0]}), got '
                          f'[{int(labels.min())}, {int(labels.max())}]')


def text_logits(features: Tensor,
                text: Tensor,
                temperature: float = 0.07) -> Tensor:
    """Cosine similarity over ``temperature``: ``(B, K)``."""
    return F.normalize(features, dim=-1) @ F.normalize(text, dim=-1).T / \
        temperature


def clip_classification_loss(student: Tensor,
                             text: Tensor,
                             labels: Tensor,
                             temperature: float = 0.07) -> Tensor:
    """L_cls: cross-entropy of cos(student, text) / temperature."""
    check_text(student, text, labels)
    return F.cross_entropy(text_logits(student, text, temperature), labels)


def feature_mse_loss(student: Tensor, teacher: Tensor) -> Tensor:
    """L_mse: squared distance of the unit features, summed over D and
    averaged over the batch."""
    check_pair(student, teacher)
    diff = F.normalize(student, dim=-1) - F.normalize(teacher, dim=-1)
    return diff.pow(2).sum(-1).mean()


def image_contrastive_loss(student: Tensor,
                           teacher: Tensor,
                           temperature: float = 0.07) -> Tensor:
    """L_im-cst: B x B contrastive loss between student and teacher image
    features, diagonal targets, mean of both directions."""
    check_pair(student, teacher)
    logits = text_logits(student, teacher, temperature)
    target = torch.arange(len(logits), device=logits.device)
    return (F.cross_entropy(logits, target) +
            F.cross_entropy(logits.T, target)) / 2


def vl_proximal_loss(student: Tensor,
                     teacher: Tensor,
                     text: Tensor,
                     labels: Optional[Tensor] = None,
                     k: int = 256,
                     temperature: float = 0.07) -> Tensor:
    """L_vlprox: align the student's text distribution to the teacher's.

    On the teacher's top-``k`` classes of each sample, the KL divergence
    KL(teacher || student) of the two softmaxes renormalised over those
    classes. ``k`` is clamped to the number of classes K, as in the
    authors' code (their k = 256 is the full softmax on most datasets).
    With ``labels``, samples the teacher misclassifies are dropped; if none
    is left the loss is 0 (never NaN).

    Raises:
        ValueError: ``k`` is not positive.
    """
    check_pair(student, teacher)
    check_text(student, text, labels)
    if k < 1:
        raise ConfigError(f'k={k} must be at least 1 (it is clamped to the '
                          f'{text.shape[0]} classes)')
    k = min(k, text.shape[0])
    t_logits = text_logits(teacher, text, temperature)
    s_logits = text_logits(student, text, temperature)
    if labels is not None:
        keep = t_logits.argmax(-1) == labels
        t_logits, s_logits = t_logits[keep], s_logits[keep]
    if len(t_logits) == 0:
        return student.sum() * 0.
    top = t_logits.topk(k, dim=-1).indices
    log_t = t_logits.gather(1, top).log_softmax(-1)
    log_s = s_logits.gather(1, top).log_softmax(-1)
    return F.kl_div(log_s, log_t, log_target=True, reduction='batchmean')
