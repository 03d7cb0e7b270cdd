import copy
from typing import Optional, Sequence, Tuple, Union

import torch
from mmengine.logging import MessageHub
from mmseg.registry import MODELS
from mmseg.utils import SampleList
from torch import Tensor, nn

from vlkd_seg.datasets.transforms import (UNLABELED_INDEX, check_label_range,
                                          check_no_unseen)
from vlkd_seg.utils.errors import ConfigError
from vlkd_seg.utils.recipe_keys import require_recipe_key
from .feature_distill import FeatureDistillLosses
from .pseudo_labels import ema_update_, merge_pseudo_labels, with_labels
from .text_student_distiller import TextStudentDistiller


@MODELS.register_module()
class PseudoLabelDistiller(TextStudentDistiller):
    """MaskCLIP+ distillation of a frozen CLIP teacher into an mmseg student.

    The student is a ``TextEncoderDecoder``: any mmseg head whose pixels
    are classified against the vocabulary's texts.
    Training pixels labelled ``unlabeled_index`` (unseen classes, see
    ``ZeroShotLabels``) get pseudo-labels: nothing before iteration
    ``teacher_start``, the teacher's MaskCLIP prediction over the unseen
    classes until ``self_train_start``, then the student's own prediction.
    Labelled pixels keep their ground truth, and the student's ordinary
    decode (and auxiliary) losses are computed on the merged labels. The
    teacher runs under ``no_grad`` on the student's inputs re-normalised to
    CLIP's statistics, and never sits inside the student.

    Args:
        student, teacher, class_names, teacher_input_size,
            data_preprocessor, init_cfg, pretrained, train_cfg: See
            :class:`TextStudentDistiller`.
        unseen_idx (Sequence[int] | str): Unseen class indices (transductive
            zero-shot), or ``'all'`` for the annotation-free setting; by
            default the recipe's top-level ``unseen_idx``.
        teacher_start (int, optional): Iteration a: teacher pseudo-labels
            from here. None never pseudo-labels: unlabeled pixels are
            ignored (inductive training, e.g. LSeg) and the teacher only
            provides the text embeddings.
        self_train_start (int, optional): Iteration b > a: the earliest
            iteration of self-training (the student's own predictions);
            None keeps the teacher.
        self_train_ema (float): Decay of an exponential moving average of
            the student whose predictions (eval mode: no dropout) label the
            unlabeled pixels during self-training (a mean teacher, e.g.
            0.99 for a 1k schedule, 0.999 for 20k); 0 labels them with the
            student's own training forward, as MaskCLIP+ does. On the
            embedded world it keeps a class from vanishing when the student
            starts to train on its own errors (README, "Self-training").
            Defaults to 0.
        confidence_thresh (float): Pixels whose pseudo-label probability is
            below this are ignored.
        feature_distill_weight (float): Weight of the L1 loss between the
            student's pixel embeddings and the teacher's dense features
            (0 = off).
        image_distill (dict, optional): Config of an
            :class:`ImageDistillLoss` on the student's pooled pixel
            embeddings vs the teacher's pooled dense features, e.g.
            ``dict(loss='feature_mse_loss')``; ``vl_proximal_loss`` compares
            them over the vocabulary's texts (no labels: no sample is
            dropped).
    """

    def __init__(self,
                 student: dict,
                 teacher: dict,
                 class_names: Union[str, Sequence[str], None] = None,
                 unseen_idx: Union[Sequence[int], str, None] = None,
                 teacher_start: Optional[int] = 0,
                 self_train_start: Optional[int] = None,
                 self_train_ema: float = 0.,
                 confidence_thresh: float = 0.,
                 teacher_input_size: Optional[Sequence[int]] = None,
                 feature_distill_weight: float = 0.,
                 image_distill: Optional[dict] = None,
                 **kwargs):
        _check_schedule(teacher_start, self_train_start, self_train_ema)
        super().__init__(student, teacher, class_names, teacher_input_size,
                         **kwargs)
        self.distill = FeatureDistillLosses(feature_distill_weight,
                                            image_distill)
        if self.teacher.refines and teacher_start is None:
            raise ConfigError(
                'the teacher\'s key_smoothing_thresh / '
                'prompt_denoising_thresh refine its pseudo-labels, but this '
                'distiller never takes labels from it (teacher_start=None): '
                'remove them or set teacher_start.')
        self.unseen_idx = require_recipe_key(unseen_idx, 'unseen_idx',
                                             'PseudoLabelDistiller')
        self.teacher_start = teacher_start
        self.self_train_start = self_train_start
        self.confidence_thresh = confidence_thresh
        self.self_train_ema = self_train_ema
        self.ema_student = _averaged_copy(
            self.student) if self_train_ema else None
        self.register_buffer('ema_updates', torch.zeros((), dtype=torch.long))
        if not isinstance(unseen_idx, str):
            bad = [i for i in unseen_idx if not 0 <= i < len(self.class_names)]
            if bad:
                raise ConfigError(f'unseen_idx {bad} outside the '
                                  f'{len(self.class_names)} training classes')

    @staticmethod
    def current_iter() -> int:
        """The runner's iteration (0 outside a runner)."""
        return MessageHub.get_current_instance().get_info('iter', 0) or 0

    def phase(self) -> str:
        """``'none'``, ``'teacher'`` or ``'self'`` at this iteration."""
        it = self.current_iter()
        if self.teacher_start is None or it < self.teacher_start:
            return 'none'
        if self.self_train_start is not None and it >= self.self_train_start:
            return 'self'
        return 'teacher'

    def loss(self, inputs: Tensor, data_samples: SampleList) -> dict:
        """Student losses on ground truth merged with pseudo-labels.

        ``data_samples`` are left as they are: the student's losses see
        copies that carry the merged labels.
        """
        labels = torch.stack([s.gt_sem_seg.data for s in data_samples])
        check_label_range(
            labels, len(self.class_names), (255, UNLABELED_INDEX),
            [s.metainfo.get('seg_map_path', '?') for s in data_samples])
        if not isinstance(self.unseen_idx, str):
            check_no_unseen(labels, self.unseen_idx)
        feats = self.student.extract_feat(inputs)
        out = self.student.forward_train_outputs(feats)
        phase = self.phase()
        need_teacher = phase == 'teacher' or self.distill.active
        teacher = self.teacher_features(inputs) if need_teacher else None
        if self.ema_student is not None and phase != 'none':
            ema_update_(self.ema_student, self.student,
                        self.self_train_ema if int(self.ema_updates) else 0.)
            self.ema_updates += 1
        source = self._per_image(
            self._pseudo_source(phase, inputs, out.logits, teacher,
                                out.features), phase, inputs, data_samples)
        merged = self._merge(labels, source)
        targets = with_labels(data_samples, merged)
        losses = self.student.loss_by_logits(feats, out.logits, targets)
        if self.distill.active:
            losses.update(self.distill(out.embeddings, teacher[0], self.text))
        losses['pseudo_frac'] = ((labels == UNLABELED_INDEX) &
                                 (merged != 255)).float().mean()
        return losses

    def _candidates(self) -> list:
        """Classes a pseudo-label may take: the unseen ones, or all."""
        if isinstance(self.unseen_idx, str):
            return list(range(len(self.class_names)))
        return list(self.unseen_idx)

    def _pseudo_source(
            self,
            phase: str,
            inputs: Tensor,
            logits: Tensor,
            teacher: Optional[Tuple[Tensor, Optional[Tensor]]],
            pre_dropout: Optional[Tensor] = None) -> Optional[Tensor]:
        """Logits ``(N, C, h, w)`` over :meth:`_candidates` to take
        pseudo-labels from, or None before ``teacher_start``.

        Args:
            phase (str): :meth:`phase`.
            inputs (Tensor): Student inputs (for the averaged student).
            logits (Tensor): The student's training logits.
            teacher (tuple, optional): Teacher dense features and keys.
            pre_dropout (Tensor, optional): The head's features before its
                dropout, for dropout-free self-training labels.
        """
        candidates = self._candidates()
        if phase == 'teacher':
            return self._teacher_source(teacher, candidates)
        if phase != 'self':
            return None
        with torch.no_grad():
            if self.ema_student is not None:
                ema = self.ema_student
                logits = ema.decode(ema.extract_feat(inputs), self.text)
            elif pre_dropout is not None:  # labels from a dropout-free head
                logits = self.student.classify_features(pre_dropout)
        return logits.detach()[:, candidates]

    def _teacher_source(self, teacher: Tuple[Tensor, Optional[Tensor]],
                        candidates: list) -> Tensor:
        """MaskCLIP's ``100 * cosine`` logits over ``candidates``, refined
        as the teacher says."""
        return 100 * self.teacher.logits_from_features(
            *teacher, text=self.text[candidates])

    def _per_image(self, source: Optional[Tensor], phase: str, inputs: Tensor,
                   data_samples: SampleList) -> Optional[Tensor]:
        """Per-image limits and refinement of :meth:`_pseudo_source`
        (none here)."""
        return source

    def _merge(self, labels: Tensor, source: Optional[Tensor]) -> Tensor:
        """:func:`merge_pseudo_labels` over :meth:`_candidates`."""
        return merge_pseudo_labels(labels, source, self._candidates(),
                                   self.confidence_thresh)

    def train(self, mode: bool = True) -> 'PseudoLabelDistiller':
        """The averaged student, if any, always predicts in eval mode."""
        super().train(mode)
        if self.ema_student is not None:
            self.ema_student.eval()
        return self


def _averaged_copy(student: nn.Module) -> nn.Module:
    """A frozen copy of ``student`` for its moving average; it borrows the
    student's texts (its own vocabulary stays empty)."""
    ema = copy.deepcopy(student).requires_grad_(False)
    ema.vocabulary.clear()
    return ema


def _check_schedule(teacher_start: Optional[int],
                    self_train_start: Optional[int],
                    self_train_ema: float) -> None:
    if self_train_start is not None and (teacher_start is None
                                         or self_train_start <= teacher_start):
        raise ConfigError(
            f'self_train_start (b={self_train_start}) must come after '
            f'teacher_start (a={teacher_start}): the teacher guides the '
            'student before it trains on its own predictions.')
    if not 0 <= self_train_ema < 1:
        raise ConfigError(
            f'self_train_ema must lie in [0, 1), got {self_train_ema}')
