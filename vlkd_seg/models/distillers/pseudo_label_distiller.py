import copy
from contextlib import contextmanager
from typing import Iterator, List, Optional, Sequence, Tuple, Union

import torch
import torch.nn.functional as F
from mmengine.logging import MessageHub
from mmengine.structures import PixelData
from mmseg.models.segmentors import BaseSegmentor
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample
from mmseg.utils import ConfigType, OptConfigType, SampleList, add_prefix
from torch import Tensor, nn

from vlkd_seg.datasets.transforms import (UNLABELED_INDEX, check_label_range,
                                          check_no_unseen)
from vlkd_seg.utils.clip_input import clip_normalize, pad_to_stride
from vlkd_seg.utils.errors import ConfigError
from vlkd_seg.utils.recipe_keys import require_recipe_key
from vlkd_seg.utils.vocabulary import load_class_names
from ..decode_heads import TextClassifier
from ..teachers import (exclude_teacher_from_checkpoints,
                        warn_indistinct_classes)

# image-level losses that need no image labels (segmentation has none)
_IMAGE_LOSSES = ('feature_mse_loss', 'image_contrastive_loss',
                 'vl_proximal_loss')


@MODELS.register_module()
class PseudoLabelDistiller(BaseSegmentor):
    """MaskCLIP+ distillation of a frozen CLIP teacher into an mmseg student.

    The student is any ``EncoderDecoder`` whose decode head classifies
    against text embeddings (:func:`TextClassifierHead`, ``LSegHead``).
    Training pixels labelled ``unlabeled_index`` (unseen classes, see
    ``ZeroShotLabels``) get pseudo-labels: nothing before iteration
    ``teacher_start``, the teacher's MaskCLIP prediction over the unseen
    classes until ``self_train_start``, then the student's own prediction.
    Labelled pixels keep their ground truth, and the student's ordinary
    decode (and auxiliary) losses are computed on the merged labels. The
    teacher runs under ``no_grad`` on the student's inputs re-normalised to
    CLIP's statistics, and never sits inside the student.

    Args:
        student (dict): The student ``EncoderDecoder`` config.
        teacher (dict): :class:`CLIPTeacher` config.
        class_names (str | Sequence[str]): Vocabulary (names, file or
            packaged name); swap it at test time to segment other classes.
        unseen_idx (Sequence[int] | str): Unseen class indices (transductive
            zero-shot), or ``'all'`` for the annotation-free setting.
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
        teacher_input_size (tuple[int, int], optional): Resize teacher inputs
            to this size (e.g. a small teacher's native resolution).
        feature_distill_weight (float): Weight of the L1 loss between the
            student's pixel embeddings and the teacher's dense features
            (0 = off).
        image_distill (dict, optional): Config of an
            :class:`ImageDistillLoss` on the student's pooled pixel
            embeddings vs the teacher's pooled dense features, e.g.
            ``dict(loss='feature_mse_loss')``; ``vl_proximal_loss`` compares
            them over the vocabulary's texts (no labels: no sample is
            dropped).
        data_preprocessor (dict, optional): ``SegDataPreProcessor`` config.
        init_cfg (dict, optional): Initialisation config.
        pretrained (str, optional): Accepted for mmseg's ``init_model``,
            which sets it to None; weights come from ``init_cfg`` and
            checkpoints.
        train_cfg (dict, optional): Accepted for mmseg's ``init_model``;
            unused.
    """

    def __init__(self,
                 student: ConfigType,
                 teacher: ConfigType,
                 class_names: Union[str, Sequence[str], None] = None,
                 unseen_idx: Union[Sequence[int], str, None] = None,
                 teacher_start: Optional[int] = 0,
                 self_train_start: Optional[int] = None,
                 self_train_ema: float = 0.,
                 confidence_thresh: float = 0.,
                 teacher_input_size: Optional[Sequence[int]] = None,
                 feature_distill_weight: float = 0.,
                 image_distill: Optional[dict] = None,
                 data_preprocessor: OptConfigType = None,
                 init_cfg: OptConfigType = None,
                 pretrained: Optional[str] = None,
                 train_cfg: OptConfigType = None):
        super().__init__(
            data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        if pretrained is not None:
            raise ConfigError(
                f'pretrained={pretrained!r}: set the student backbone\'s '
                "init_cfg=dict(type='Pretrained', checkpoint=...) instead")
        if self_train_start is not None and (
                teacher_start is None or self_train_start <= teacher_start):
            raise ConfigError(
                f'self_train_start (b={self_train_start}) must come after '
                f'teacher_start (a={teacher_start}): the teacher guides the '
                'student before it trains on its own predictions.')
        if not 0 <= self_train_ema < 1:
            raise ConfigError(
                f'self_train_ema must lie in [0, 1), got {self_train_ema}')
        if image_distill and image_distill.get('loss') not in _IMAGE_LOSSES:
            raise ConfigError(f'image_distill.loss must be one of '
                              f'{_IMAGE_LOSSES} (student vs teacher '
                              'features; clip_classification_loss needs '
                              f'image labels), got {image_distill}')
        student = dict(student)
        student.pop('data_preprocessor', None)
        self.student = MODELS.build(student)
        self.teacher = MODELS.build(teacher)
        self._check_text_classifier()
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
        self.teacher_input_size = teacher_input_size
        self.feature_distill_weight = feature_distill_weight
        self.image_distill = MODELS.build(
            dict(dict(type='ImageDistillLoss'), **
                 image_distill)) if image_distill else None
        self.set_vocabulary(
            require_recipe_key(class_names, 'class_names',
                               'PseudoLabelDistiller'))
        self.self_train_ema = self_train_ema
        self.ema_student = copy.deepcopy(
            self.student).requires_grad_(False) if self_train_ema else None
        self.register_buffer('ema_updates', torch.zeros((), dtype=torch.long))
        if not isinstance(unseen_idx, str):
            bad = [i for i in unseen_idx if not 0 <= i < len(self.class_names)]
            if bad:
                raise ConfigError(f'unseen_idx {bad} outside the '
                                  f'{len(self.class_names)} training classes')
        exclude_teacher_from_checkpoints(self)
        self._register_load_state_dict_pre_hook(self._keep_text)

    @property
    def classifier(self) -> TextClassifier:
        """The student head's text classifier."""
        return self.student.decode_head.conv_seg

    def _check_text_classifier(self) -> None:
        head = self.student.decode_head
        classifier = getattr(head, 'conv_seg', None)
        if not isinstance(classifier, TextClassifier):
            raise ConfigError(
                f'the student head {type(head).__name__} has no text '
                'classifier: wrap it in TextClassifierHead or use LSegHead '
                'so its pixels live in the CLIP embedding space.')
        if classifier.embed_dim != self.teacher.embed_dim:
            raise ConfigError(
                f'the student head embeds into {classifier.embed_dim}'
                f' dimensions but the teacher\'s text has '
                f'{self.teacher.embed_dim}; set embed_dim to match.')

    def set_vocabulary(
            self,
            class_names: Union[str, Sequence[str]],
            descriptions: Optional[Union[str, Sequence[str]]] = None) -> None:
        """Classify ``class_names`` from now on; weights stay as they are.

        Args:
            class_names (str | Sequence[str]): Names, a file with one per
                line, or a packaged vocabulary.
            descriptions (str | Sequence[str], optional): One sentence per
                class appended to its prompts, or a file of them.
        """
        self.class_names = load_class_names(class_names)
        text = self.teacher.encode_text(
            self.class_names, descriptions=descriptions)
        learned = self.classifier.background_idx
        keep = [i for i in range(len(text)) if i != learned]
        warn_indistinct_classes([self.class_names[i] for i in keep],
                                text[keep])
        self.classifier.set_text_embeddings(text)
        k = len(self.class_names)
        head = self.student.decode_head
        head.num_classes = head.out_channels = k
        self.student.num_classes = self.student.out_channels = k

    # -- inference: the student alone --------------------------------------
    def extract_feat(self, inputs: Tensor):
        return self.student.extract_feat(inputs)

    def encode_decode(self, inputs: Tensor, batch_img_metas):
        return self.student.encode_decode(inputs, batch_img_metas)

    def predict(self, inputs: Tensor, data_samples: SampleList = None):
        return self.student.predict(inputs, data_samples)

    def _forward(self, inputs: Tensor, data_samples: SampleList = None):
        return self.student._forward(inputs, data_samples)

    # -- training ----------------------------------------------------------
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

    @property
    def needs_embedding(self) -> bool:
        """Whether a loss compares the student's pixel embeddings with the
        teacher's dense features."""
        return bool(self.feature_distill_weight or self.image_distill)

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
        head = self.student.decode_head
        with _recorded(self.classifier.proj) as projected, _recorded(
                getattr(head, 'dropout', None), inputs=True) as pre_dropout:
            logits = head.forward(feats)
        phase = self.phase()
        need_teacher = phase == 'teacher' or self.needs_embedding
        teacher = self._teacher_features(inputs) if need_teacher else None
        if self.ema_student is not None and phase != 'none':
            self._update_ema()
        source = self._pseudo_source(phase, inputs, logits, teacher,
                                     pre_dropout[0] if pre_dropout else None)
        merged = self._merge(labels, source)
        targets = _with_labels(data_samples, merged)
        losses = add_prefix(
            self.student.decode_head.loss_by_feat(logits, targets), 'decode')
        if self.student.with_auxiliary_head:
            losses.update(
                self.student._auxiliary_head_forward_train(feats, targets))
        if self.needs_embedding:
            losses.update(
                self._distill_losses(
                    F.normalize(projected[0], dim=1), teacher[0]))
        losses['pseudo_frac'] = ((labels == UNLABELED_INDEX) &
                                 (merged != 255)).float().mean()
        return losses

    def _teacher_features(self,
                          inputs: Tensor) -> Tuple[Tensor, Optional[Tensor]]:
        """Teacher dense features ``(N, D, h, w)`` of the student inputs,
        and the keys its key smoothing needs (else None)."""
        pre = self.data_preprocessor
        x = inputs * pre.std + pre.mean if pre._enable_normalize else inputs
        x = clip_normalize(x)
        if self.teacher_input_size is not None:
            x = F.interpolate(
                x,
                size=tuple(self.teacher_input_size),
                mode='bilinear',
                align_corners=False)
        else:
            x = pad_to_stride(x, self.teacher.stride)
        return self.teacher.dense_features_and_keys(x)

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
            # MaskCLIP: softmax(100 * cosine), refined as the teacher says
            return 100 * self.teacher.logits_from_features(
                *teacher, text=self.classifier.text[candidates])
        if phase != 'self':
            return None
        with torch.no_grad():
            if self.ema_student is not None:
                ema = self.ema_student
                logits = ema.decode_head.forward(ema.extract_feat(inputs))
            elif pre_dropout is not None:  # labels from a dropout-free head
                head = self.student.decode_head
                logits = getattr(head, 'classify', head.conv_seg)(pre_dropout)
        return logits.detach()[:, candidates]

    @torch.no_grad()
    def _update_ema(self) -> None:
        """``ema = decay * ema + (1 - decay) * student`` for every float
        parameter and buffer (a copy at the first update); other buffers
        are copied. Reads both state dicts anew, so it follows any
        ``.to()`` of the model."""
        decay = self.self_train_ema if int(self.ema_updates) else 0.
        current = self.student.state_dict()
        for name, value in self.ema_student.state_dict().items():
            if value.is_floating_point():
                value.mul_(decay).add_(current[name], alpha=1 - decay)
            else:
                value.copy_(current[name])
        self.ema_updates += 1

    def train(self, mode: bool = True) -> 'PseudoLabelDistiller':
        """The averaged student, if any, always predicts in eval mode."""
        super().train(mode)
        if self.ema_student is not None:
            self.ema_student.eval()
        return self

    def _merge(self, labels: Tensor, source: Optional[Tensor]) -> Tensor:
        """Ground truth with pseudo-labels on the unlabeled pixels.

        Args:
            labels (Tensor): ``(N, 1, H, W)`` ground truth with unlabeled
                pixels.
            source (Tensor, optional): ``(N, C, h, w)`` logits over
                :meth:`_candidates`; None ignores the unlabeled pixels.
        """
        unlabeled = labels == UNLABELED_INDEX
        ignore = torch.full_like(labels, 255)
        if source is None or not unlabeled.any():
            return torch.where(unlabeled, ignore, labels)
        prob, pick = self._pick(source, labels.shape[-2:])
        classes = labels.new_tensor(self._candidates())
        pseudo = torch.where(prob < self.confidence_thresh, ignore,
                             classes[pick])
        return torch.where(unlabeled, pseudo, labels)

    @staticmethod
    def _pick(source: Tensor, size) -> Tuple[Tensor, Tensor]:
        """Probability ``(N, 1, H, W)`` and index of the most likely
        candidate at the label resolution ``size``."""
        logits = F.interpolate(
            source.float(), size=size, mode='bilinear', align_corners=False)
        return logits.softmax(dim=1).max(dim=1, keepdim=True)

    def _distill_losses(self, emb: Tensor, t_feats: Tensor) -> dict:
        """Feature and image-level distillation losses.

        Args:
            emb (Tensor): Student pixel embeddings ``(N, D, h, w)``, unit
                norm over D.
            t_feats (Tensor): Teacher dense features ``(N, D, h', w')``.
        """
        losses = {}
        target = F.interpolate(
            t_feats.to(emb),
            size=emb.shape[-2:],
            mode='bilinear',
            align_corners=False)
        if self.feature_distill_weight:
            losses['loss_feat_distill'] = self.feature_distill_weight * (
                emb - F.normalize(target, dim=1)).abs().mean()
        if self.image_distill is not None:
            args = (emb.mean((2, 3)), target.mean((2, 3)))
            if self.image_distill.loss_name == 'vl_proximal_loss':
                args += (self.classifier.text, )
            losses['loss_image_distill'] = self.image_distill(*args)
        return losses

    def _keep_text(self, state_dict, prefix, *args) -> None:
        """The vocabulary comes from ``class_names``, not from the
        checkpoint: keep this model's text banks when loading."""
        for key, value in self.state_dict().items():
            if key.endswith('decode_head.conv_seg.text'):
                state_dict[prefix + key] = value


@contextmanager
def _recorded(module: Optional[nn.Module],
              inputs: bool = False) -> Iterator[List[Tensor]]:
    """Collect the outputs (or first inputs) of ``module``'s forward calls
    inside the block; nothing stays on the module afterwards. A None
    module records nothing."""
    records: List[Tensor] = []
    if module is None:
        yield records
        return
    if inputs:
        handle = module.register_forward_pre_hook(
            lambda mod, args: records.append(args[0]))
    else:
        handle = module.register_forward_hook(
            lambda mod, args, out: records.append(out))
    try:
        yield records
    finally:
        handle.remove()


def _with_labels(data_samples: SampleList, labels: Tensor) -> SampleList:
    """New data samples with the metainfo of ``data_samples`` and
    ``labels`` ``(N, 1, H, W)`` as their ground truth."""
    return [
        SegDataSample(
            metainfo=sample.metainfo, gt_sem_seg=PixelData(data=label))
        for sample, label in zip(data_samples, labels)
    ]
