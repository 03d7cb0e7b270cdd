from typing import List, Optional, Sequence, Tuple, Union

import torch
from mmengine.model import ModuleList
from mmseg.registry import MODELS
from mmseg.utils import SampleList
from torch import Tensor, nn

from vlkd_seg.datasets.transforms import UNLABELED_INDEX, check_label_range
from vlkd_seg.utils.errors import ConfigError, SetupError, number_in_range
from ..refiners import LabelBatch
from ..label_maps import with_labels
from .pseudo_labels import (check_labellers, check_split, hide_classes,
                            merge_pseudo_labels, tag_candidates)
from .text_student_distiller import TextStudentDistiller


@MODELS.register_module()
class PseudoLabelDistiller(TextStudentDistiller):
    """Distillation of a frozen CLIP teacher into an mmseg student through
    pseudo-labels, assembled from parts named in the config.

    Every setting is a configuration of this one model:

    * the label setting: ``unseen_idx`` hides classes from the student's
      ground truth (their pixels become unlabeled): a zero-shot split
      (MaskCLIP+, LSeg), ``'all'`` (annotation-free, image tags) or ``[]``
      (fully supervised); ``image_tags=True`` restricts each image's
      pseudo-labels to its tags and ``background_idx`` (CLIP-ES; the
      ``ImageTags`` transform puts the tags in the samples);
    * the pseudo-labellers, in order of their ``start`` iteration:
      ``TeacherLabeller`` (the teacher's dense labels, refined),
      ``SegmentorLabeller`` (a trained segmentor's, e.g. ZegCLIP) and
      ``StudentLabeller`` (self-training); before the first start, and
      with none, unlabeled pixels are ignored (inductive);
    * ``losses`` between the student's pixel embeddings and the teacher's
      dense features (``PixelDistillLoss``, ``PooledDistillLoss``).

    Labelled pixels keep their ground truth, unlabeled ones take the active
    labeller's argmax over the candidate classes (the hidden ones, or all
    with ``'all'``) where it is at least ``confidence_thresh`` sure, and
    the student's ordinary decode (and auxiliary) losses train on the
    merged labels. The iteration comes from the runner through
    ``TrainIterHook`` (:meth:`set_train_iter`).

    Args:
        student, teacher, class_names, teacher_input_size,
            data_preprocessor, init_cfg, pretrained, train_cfg: See
            :class:`TextStudentDistiller`.
        unseen_idx (Sequence[int] | str): Classes hidden from the student's
            labels, or ``'all'``.
        labellers (Sequence[dict]): Pseudo-labeller configs, starts
            increasing.
        image_tags (bool): Restrict pseudo-labels to each image's tags
            (``img_tags`` of its sample) and ``background_idx``.
        background_idx (int, optional): The vocabulary's background class.
        confidence_thresh (float): Pixels whose pseudo-label probability is
            below this are ignored.
        losses (Sequence[dict]): Distillation loss configs.
    """

    def __init__(self,
                 student: dict,
                 teacher: dict,
                 class_names: Union[str, Sequence[str], None] = None,
                 unseen_idx: Union[Sequence[int], str, None] = None,
                 labellers: Sequence[dict] = (),
                 image_tags: bool = False,
                 background_idx: Optional[int] = None,
                 confidence_thresh: float = 0.,
                 losses: Sequence[dict] = (),
                 teacher_input_size: Optional[Sequence[int]] = None,
                 **kwargs):
        super().__init__(student, teacher, class_names, teacher_input_size,
                         **kwargs)
        self.unseen_idx = check_split(unseen_idx, len(self.class_names))
        self.labellers = ModuleList(MODELS.build(c) for c in labellers)
        check_labellers(self.labellers)
        for labeller in self.labellers:
            labeller.setup(self.student, self.teacher)
        self.losses = nn.ModuleList(MODELS.build(c) for c in losses)
        if background_idx is not None and not 0 <= background_idx < len(
                self.class_names):
            raise ConfigError(f'background_idx {background_idx} is not a '
                              f'class of the {len(self.class_names)}')
        if image_tags and background_idx is None:
            raise ConfigError('image_tags=True needs background_idx: the '
                              'class every image may hold besides its tags')
        self.image_tags = image_tags
        self.background_idx = background_idx
        self.confidence_thresh = number_in_range(
            confidence_thresh, 'PseudoLabelDistiller confidence_thresh', 0, 1)
        self.train_iter: Optional[int] = None

    # -- the schedule --------------------------------------------------------
    def set_train_iter(self, it: int) -> None:
        """The training iteration (``TrainIterHook``, every step)."""
        self.train_iter = int(it)

    def active_labeller(self) -> Optional[nn.Module]:
        """The labeller of the current iteration (None before the first)."""
        if not len(self.labellers):
            return None
        if self.train_iter is None:
            raise SetupError(
                'PseudoLabelDistiller follows the training iteration: add '
                "dict(type='TrainIterHook') to custom_hooks (the default "
                'runtime has it), or call set_train_iter(it) before loss.')
        started = [m for m in self.labellers if m.start <= self.train_iter]
        return started[-1] if started else None

    @property
    def self_train_start(self) -> Optional[int]:
        """The iteration self-training starts at (None: never)."""
        starts = [m.start for m in self.labellers if m.self_training]
        return starts[0] if starts else None

    def phase(self) -> str:
        """``'none'``, ``'teacher'`` or ``'self'`` at this iteration."""
        active = self.active_labeller()
        if active is None:
            return 'none'
        return 'self' if active.self_training else 'teacher'

    # -- training ------------------------------------------------------------
    def candidates(self) -> List[int]:
        """Classes a pseudo-label may take: the hidden ones, or all."""
        if self.unseen_idx == 'all':
            return list(range(len(self.class_names)))
        return list(self.unseen_idx)

    def loss(self, inputs: Tensor, data_samples: SampleList) -> dict:
        """Student losses on ground truth merged with pseudo-labels.

        ``data_samples`` are left as they are: the student's losses see
        copies that carry the merged labels.
        """
        labels = self._labels(data_samples)
        feats = self.student.extract_feat(inputs)
        out = self.student.forward_train_outputs(feats)
        active = self.active_labeller()
        if active is not None:
            for labeller in self.labellers:
                labeller.observe(self.student)
        need_teacher = bool(len(self.losses)) or getattr(
            active, 'needs_teacher', False)
        batch = self._label_batch(inputs, out, data_samples, need_teacher,
                                  getattr(active, 'needs_keys', False))
        source = None if active is None else active(batch)
        losses, filled = self._student_losses(feats, out, labels, source,
                                              data_samples)
        for loss in self.losses:
            losses.update(
                loss(out.embeddings, batch.teacher_features[0], self.text))
        losses['pseudo_frac'] = filled.float().mean()
        return losses

    def _student_losses(self, feats: List[Tensor], outputs, labels: Tensor,
                        source: Optional[Tensor],
                        data_samples: SampleList) -> Tuple[dict, Tensor]:
        """The student's losses on ``labels`` merged with the pseudo-labels
        of ``source``, and ``(N, 1, H, W)`` bool of the pixels that took
        one."""
        merged = merge_pseudo_labels(labels, source, self.candidates(),
                                     self.confidence_thresh)
        losses = self.student.loss_by_logits(feats, outputs.logits,
                                             with_labels(data_samples, merged))
        return losses, (labels == UNLABELED_INDEX) & (merged != 255)

    def _labels(self, data_samples: SampleList) -> Tensor:
        """``(N, 1, H, W)`` ground truth, the hidden classes unlabeled."""
        labels = torch.stack([s.gt_sem_seg.data for s in data_samples])
        check_label_range(
            labels, len(self.class_names), (255, UNLABELED_INDEX),
            [s.metainfo.get('seg_map_path', '?') for s in data_samples])
        return hide_classes(labels, self.unseen_idx)

    def _label_batch(self,
                     inputs: Tensor,
                     outputs,
                     data_samples: SampleList,
                     need_teacher: bool,
                     with_keys: bool = False) -> LabelBatch:
        view = self.teacher_view(inputs)
        return LabelBatch(
            inputs=inputs,
            pixels=self.raw_pixels(inputs),
            student=self.student,
            outputs=outputs,
            teacher=self.teacher,
            teacher_view=view,
            teacher_features=self.teacher.dense_features_and_keys(
                view, with_keys) if need_teacher else None,
            text=self.text,
            candidates=self.candidates(),
            allowed=self.allowed_candidates(data_samples),
            background_idx=self.background_idx)

    def allowed_candidates(self, data_samples: SampleList) -> Optional[Tensor]:
        """``(N, C)`` bool: the candidates each image may take (its tags
        and background with ``image_tags``); None: all."""
        if not self.image_tags:
            return None
        return tag_candidates(data_samples, self.candidates(),
                              self.background_idx)

    # -- the teacher's labels of whole images (tools/pseudo_masks.py) --------
    def teacher_labeller(self) -> nn.Module:
        """The (first) ``TeacherLabeller``."""
        for labeller in self.labellers:
            if labeller.needs_teacher:
                return labeller
        raise ConfigError('this distiller has no TeacherLabeller: its '
                          'pseudo-labels never come from the teacher')

    @torch.no_grad()
    def teacher_pseudo_labels(self, inputs: Tensor,
                              data_samples: SampleList) -> Tensor:
        """The teacher's pseudo-masks of a batch, as training takes them.

        Args:
            inputs (Tensor): ``(N, 3, H, W)`` preprocessed images.
            data_samples (list[SegDataSample]): With ``img_tags`` when
                ``image_tags`` is on.

        Returns:
            Tensor: ``(N, 1, H, W)`` labels, 255 where below the threshold.
        """
        labeller = self.teacher_labeller()
        batch = self._label_batch(inputs, None, data_samples, True,
                                  labeller.needs_keys)
        unlabeled = inputs.new_full((len(inputs), 1, *inputs.shape[-2:]),
                                    UNLABELED_INDEX,
                                    dtype=torch.long)
        return merge_pseudo_labels(unlabeled, labeller(batch),
                                   batch.candidates, self.confidence_thresh)

    def pseudo_label_key(self) -> dict:
        """What the teacher's pseudo-masks depend on besides the image:
        the key of a folder of cached masks."""
        return dict(
            teacher=self.teacher.weights_hash('image'),
            **self.teacher_labeller().settings(self.text),
            unseen_idx=self.unseen_idx,
            image_tags=self.image_tags,
            background_idx=self.background_idx,
            confidence_thresh=self.confidence_thresh,
            teacher_input_size=None if self.teacher_input_size is None else
            list(self.teacher_input_size))
