from typing import Dict, List, Optional, Sequence, Union

import torch
import torch.nn.functional as F
from mmpretrain.models.classifiers import BaseClassifier
from mmpretrain.registry import MODELS
from mmpretrain.structures import DataSample
from mmseg.registry import MODELS as SEG_MODELS
from torch import Tensor, nn

from vlkd_seg.models.teachers import exclude_teacher_from_checkpoints
from vlkd_seg.utils.errors import ConfigError, SetupError, required
from ..class_split import load_class_split, subset_classes

# the splits whose teacher features the model holds
_FEATURE_SPLITS = ('train', 'eval')


def _scoped(cfg: dict, scope: str) -> dict:
    """``cfg`` with its type in ``scope`` unless it names one: the teacher
    lives in mmseg's registry, backbone and neck in mmpretrain's, whatever
    the default scope the model is built under."""
    cfg = dict(cfg)
    if isinstance(cfg.get('type'), str) and '.' not in cfg['type']:
        cfg['type'] = f'{scope}.' + cfg['type']
    return cfg


@MODELS.register_module()
class VLDistillClassifier(BaseClassifier):
    """A student classifier distilled from a frozen CLIP (Li et al., 2023).

    Any mmpretrain backbone -> neck (global pooling) -> linear projection to
    the CLIP dimension; classes are scored by cosine similarity against the
    teacher's text embeddings of the class names (optionally enriched with
    a one-sentence description). Training sees the in-distribution (ID)
    classes only, with any sum of the image-level losses of
    :mod:`vlkd_seg.classification.losses`; at test time the same student
    classifies the out-of-distribution (OOD) classes zero-shot from their
    texts.

    Teacher image features come from :class:`TeacherFeatureHook`, which
    computes them once per split and hands them over by ``sample_idx``.
    The teacher is left out of checkpoints.

    Args:
        backbone (dict): mmpretrain backbone config.
        teacher (dict): :class:`CLIPTeacher` config.
        in_channels (int): Channels of the pooled backbone feature.
        class_split (str): Split file, packaged split name or authors'
            folder: class names, descriptions and the ID / OOD partition,
            in label order. A recipe sets it once at its top level.
        neck (dict): mmpretrain neck config.
        losses (Sequence[dict]): :class:`ImageDistillLoss` configs (``loss``,
            ``loss_weight``, fixed keyword arguments), summed.
        templates (str | Sequence[str]): Prompt templates of the class
            texts; ``'single'`` is the paper's "a photo of a {}.".
        enriched_labels (bool): Append each class's description to its
            prompts ("a photo of a {name}. {description}").
        temperature (float): Softmax temperature of ``pred_score``.
        train_subset (str): Classes the losses score against: ``'id'``
            (distillation) or ``'all'`` (the 5-shot OOD stage, whose batches
            hold few-shot OOD images too).
        data_preprocessor (dict, optional): Defaults to
            ``ClsDataPreprocessor``.
        init_cfg (dict, optional): Initialisation config.
    """

    def __init__(
            self,
            backbone: dict,
            teacher: dict,
            in_channels: int,
            class_split: Optional[str] = None,
            neck: dict = dict(type='GlobalAveragePooling'),
            losses: Sequence[dict] = (dict(loss='clip_classification_loss'), ),
            templates: Union[str, Sequence[str]] = 'single',
            enriched_labels: bool = False,
            temperature: float = 0.07,
            train_subset: str = 'id',
            data_preprocessor: Optional[dict] = None,
            init_cfg: Optional[dict] = None):
        data_preprocessor = dict(data_preprocessor or {})
        data_preprocessor.setdefault('type', 'mmpretrain.ClsDataPreprocessor')
        super().__init__(
            init_cfg=init_cfg, data_preprocessor=data_preprocessor)
        if not losses:
            raise ConfigError('give at least one loss in `losses`')
        self.backbone = MODELS.build(_scoped(backbone, 'mmpretrain'))
        self.neck = MODELS.build(_scoped(neck, 'mmpretrain'))
        self.teacher = SEG_MODELS.build(_scoped(teacher, 'mmseg'))
        self.proj = nn.Linear(in_channels, self.teacher.embed_dim)
        self.losses = nn.ModuleList(
            SEG_MODELS.build(dict(type='mmseg.ImageDistillLoss', **cfg))
            for cfg in losses)
        self.split = load_class_split(
            required(class_split, 'class_split',
                     type(self).__name__))
        self.temperature = temperature
        self.train_classes = subset_classes(self.split, train_subset)
        self.train_subset = train_subset
        self._build_text(templates, enriched_labels)
        for split in _FEATURE_SPLITS:
            self.register_buffer(
                f'teacher_features_{split}',
                self.text.new_zeros(0, self.text.shape[1]),
                persistent=False)
        exclude_teacher_from_checkpoints(self)

    def _build_text(self, templates, enriched: bool) -> None:
        split = self.split
        text = self.teacher.encode_text(
            split.names,
            templates=templates,
            descriptions=split.descriptions if enriched else None)
        train_index = torch.full((len(split.names), ), -1, dtype=torch.long)
        train_index[self.train_classes] = torch.arange(len(self.train_classes))
        self.register_buffer('text', text, persistent=False)
        self.register_buffer('train_index', train_index, persistent=False)

    def set_teacher_features(self, split: str, feats: Tensor) -> None:
        """Teacher features ``(N, D)`` of the samples of ``split``
        (``'train'`` or ``'eval'``), indexed by ``sample_idx``; kept as a
        non-persistent buffer, so it follows the model's device and dtype."""
        if split not in _FEATURE_SPLITS:
            raise ConfigError(f'split must be one of {_FEATURE_SPLITS}, got '
                              f'{split!r}')
        if feats.dim() != 2 or feats.shape[1] != self.text.shape[1]:
            raise ConfigError(f'teacher features {tuple(feats.shape)} do not '
                              f'match the CLIP dimension {self.text.shape[1]}')
        setattr(self, f'teacher_features_{split}', feats.to(self.text))

    def extract_feat(self, inputs: Tensor) -> Tensor:
        """Images ``(N, 3, H, W)`` -> student embeddings ``(N, D)``."""
        return self.proj(self.neck(self.backbone(inputs))[-1])

    def forward(self,
                inputs: Tensor,
                data_samples: Optional[List[DataSample]] = None,
                mode: str = 'tensor'):
        if mode == 'tensor':
            return self.extract_feat(inputs)
        if mode == 'loss':
            return self.loss(inputs, data_samples)
        if mode == 'predict':
            return self.predict(inputs, data_samples)
        raise RuntimeError(f'Invalid mode "{mode}".')

    def loss(self, inputs: Tensor,
             data_samples: List[DataSample]) -> Dict[str, Tensor]:
        """Sum of the configured losses on a batch of samples of the
        ``train_subset`` classes."""
        labels = self.train_index[torch.cat([s.gt_label for s in data_samples
                                             ]).to(self.train_index.device)]
        if (labels < 0).any():
            raise ConfigError(
                'a training sample belongs to an OOD class: train on '
                "dict(type='ClassSplitDataset', subset='id', ...), or set "
                "train_subset='all' for the few-shot stage")
        args = dict(
            student=self.extract_feat(inputs),
            teacher=self._lookup('train', data_samples),
            text=self.text[self.train_classes],
            labels=labels)
        return {
            f'loss_{loss.key}': loss.from_inputs(**args)
            for loss in self.losses
        }

    def predict(self,
                inputs: Tensor,
                data_samples: Optional[List[DataSample]] = None
                ) -> List[DataSample]:
        """Scores against all K class texts (ID and OOD).

        Each returned sample holds ``pred_score`` (softmax of cos / T over
        the K classes), ``pred_label``, ``student_feat`` and ``text_sim``
        ``(K,)``, and, when the hook has given teacher features,
        ``teacher_feat`` and ``teacher_text_sim``.
        """
        feats = self.extract_feat(inputs)
        sims = F.normalize(feats, dim=-1) @ self.text.T
        if data_samples is None:
            data_samples = [DataSample() for _ in range(len(feats))]
        teacher = (
            self._lookup('eval', data_samples)
            if len(self.teacher_features_eval) else None)
        scores = (sims / self.temperature).softmax(-1)
        for i, sample in enumerate(data_samples):
            sample.set_pred_score(scores[i]).set_pred_label(sims[i].argmax())
            sample.set_field(feats[i], 'student_feat')
            sample.set_field(sims[i], 'text_sim')
            if teacher is not None:
                sample.set_field(teacher[i], 'teacher_feat')
                sample.set_field(teacher[i] @ self.text.T, 'teacher_text_sim')
        return data_samples

    def _lookup(self, split: str, data_samples: List[DataSample]) -> Tensor:
        bank = getattr(self, f'teacher_features_{split}')
        if not len(bank):
            raise SetupError(
                f'no teacher features for the {split} split: add '
                "dict(type='TeacherFeatureHook', pipeline=...) to "
                'custom_hooks')
        idx = torch.tensor([s.sample_idx for s in data_samples])
        if idx.max() >= len(bank):
            raise SetupError(f'sample_idx {int(idx.max())} beyond the '
                             f'{len(bank)} teacher features of the {split} '
                             'split')
        return bank[idx.to(bank.device)]
