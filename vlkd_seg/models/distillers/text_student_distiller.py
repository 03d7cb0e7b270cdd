from typing import Optional, Sequence, Tuple, Union

import torch.nn.functional as F
from mmseg.models.segmentors import BaseSegmentor
from mmseg.registry import MODELS
from mmseg.utils import ConfigType, OptConfigType, SampleList
from torch import Tensor

from vlkd_seg.utils.clip_input import (clip_normalize, pad_to_stride,
                                       to_pixels)
from vlkd_seg.utils.errors import ConfigError, required
from ..segmentors import TextEncoderDecoder
from ..teachers import exclude_teacher_from_checkpoints


class TextStudentDistiller(BaseSegmentor):
    """A frozen CLIP teacher and an mmseg student that classifies pixels
    against the teacher's class texts: the part every distiller shares.

    Builds both, checks that the student (a :class:`TextEncoderDecoder`)
    embeds into the teacher's dimension, sets the vocabulary
    (:meth:`set_vocabulary`: the teacher encodes it into the student's
    ``Vocabulary``, the one place the texts live), predicts with the
    student alone, gives the teacher the student's inputs in CLIP's
    statistics (:meth:`teacher_features`) and keeps the teacher out of
    checkpoints. Subclasses implement ``loss``.

    Args:
        student (dict): The student :class:`TextEncoderDecoder` config.
        teacher (dict): :class:`CLIPTeacher` config.
        class_names (str | Sequence[str]): Vocabulary (names, file or
            packaged name); by default the recipe's top-level
            ``class_names``. Swap it at test time to segment other classes.
        descriptions (str | Sequence[str], optional): One sentence (or
            paragraph) per class appended to its prompts, or a file of
            them (SSIW names classes by their descriptions).
        teacher_input_size (tuple[int, int], optional): Resize teacher inputs
            to this size (e.g. a small teacher's native resolution); else
            they are padded to a multiple of its stride.
        teacher_normalization (str): What the teacher sees: ``'clip'``,
            the student's crop in CLIP's mean and std (as CLIP was
            trained), or ``'student'``, the crop as the student's data
            preprocessor normalised it (the MaskCLIP+ release's teacher
            sees ImageNet statistics).
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
                 teacher_input_size: Optional[Sequence[int]] = None,
                 teacher_normalization: str = 'clip',
                 descriptions: Union[str, Sequence[str], None] = None,
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
        student = dict(student)
        student.pop('data_preprocessor', None)
        self.student = MODELS.build(student)
        self.teacher = MODELS.build(teacher)
        self._check_student()
        self.teacher_input_size = teacher_input_size
        if teacher_normalization not in ('clip', 'student'):
            raise ConfigError("teacher_normalization must be 'clip' or "
                              f"'student', got {teacher_normalization!r}")
        self.teacher_normalization = teacher_normalization
        self.set_vocabulary(
            required(class_names, 'class_names',
                     type(self).__name__), descriptions)
        exclude_teacher_from_checkpoints(self)

    @property
    def class_names(self) -> list:
        """The vocabulary's class names, in label order."""
        return self.student.vocabulary.names

    @property
    def text(self) -> Tensor:
        """``(K, D)`` the vocabulary's unit text embeddings."""
        return self.student.vocabulary.text

    def _check_student(self) -> None:
        if not isinstance(self.student, TextEncoderDecoder):
            raise ConfigError(
                f'the student is a {type(self.student).__name__}: make it a '
                'TextEncoderDecoder (its head projects pixels into the CLIP '
                'space, num_classes = the CLIP dimension) so it classifies '
                'against class texts.')
        if self.student.embed_dim != self.teacher.embed_dim:
            raise ConfigError(
                f'the student embeds into {self.student.embed_dim}'
                f' dimensions but the teacher\'s text has '
                f'{self.teacher.embed_dim}; set embed_dim (and the head\'s '
                'num_classes) to match.')

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
        self.student.vocabulary.name(class_names, self.teacher, descriptions,
                                     self.student.classifier.background_idx)

    # -- inference: the student alone --------------------------------------
    def extract_feat(self, inputs: Tensor):
        return self.student.extract_feat(inputs)

    def encode_decode(self, inputs: Tensor, batch_img_metas):
        return self.student.encode_decode(inputs, batch_img_metas)

    def predict(self, inputs: Tensor, data_samples: SampleList = None):
        return self.student.predict(inputs, data_samples)

    def _forward(self, inputs: Tensor, data_samples: SampleList = None):
        return self.student(inputs, data_samples, mode='tensor')

    # -- the teacher's view of a batch -------------------------------------
    def teacher_features(self,
                         inputs: Tensor) -> Tuple[Tensor, Optional[Tensor]]:
        """Teacher dense features ``(N, D, h, w)`` of the student's inputs
        ``(N, 3, H, W)``, and None for the keys (a pseudo-labeller whose
        refiners need them asks for them).
        """
        return self.teacher.dense_features_and_keys(
            self.teacher_view(inputs), with_keys=False)

    def raw_pixels(self, inputs: Tensor) -> Tensor:
        """The student's preprocessed inputs back in 0-255 units."""
        return to_pixels(self.data_preprocessor, inputs)

    def teacher_view(self, inputs: Tensor) -> Tensor:
        """The student's inputs ``(N, 3, H, W)`` as the teacher sees them:
        CLIP-normalised (or as they are, ``teacher_normalization=
        'student'``), resized to ``teacher_input_size`` or padded to its
        stride."""
        x = inputs if self.teacher_normalization == 'student' else \
            clip_normalize(self.raw_pixels(inputs))
        if self.teacher_input_size is not None:
            x = F.interpolate(
                x,
                size=tuple(self.teacher_input_size),
                mode='bilinear',
                align_corners=False)
        else:
            x = pad_to_stride(x, self.teacher.stride)
        return x
