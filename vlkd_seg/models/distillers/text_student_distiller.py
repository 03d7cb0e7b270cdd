from typing import Optional, Sequence, Tuple, Union

import torch.nn.functional as F
from mmseg.models.segmentors import BaseSegmentor
from mmseg.registry import MODELS
from mmseg.utils import ConfigType, OptConfigType, SampleList
from torch import Tensor

from vlkd_seg.utils.clip_input import clip_normalize, pad_to_stride
from vlkd_seg.utils.errors import ConfigError
from vlkd_seg.utils.recipe_keys import require_recipe_key
from vlkd_seg.utils.vocabulary import load_class_names
from ..decode_heads import TextClassifier
from ..teachers import (exclude_teacher_from_checkpoints,
                        warn_indistinct_classes)


class TextStudentDistiller(BaseSegmentor):
    """A frozen CLIP teacher and an mmseg student that classifies pixels
    against the teacher's class texts: the part every distiller shares.

    Builds both, checks that the student's head has a
    :class:`TextClassifier` of the teacher's dimension, sets the vocabulary
    (:meth:`set_vocabulary`), predicts with the student alone, gives the
    teacher the student's inputs in CLIP's statistics
    (:meth:`teacher_features`) and keeps the teacher out of checkpoints.
    Subclasses implement ``loss``.

    Args:
        student (dict): The student ``EncoderDecoder`` config.
        teacher (dict): :class:`CLIPTeacher` config.
        class_names (str | Sequence[str]): Vocabulary (names, file or
            packaged name); by default the recipe's top-level
            ``class_names``. Swap it at test time to segment other classes.
        teacher_input_size (tuple[int, int], optional): Resize teacher inputs
            to this size (e.g. a small teacher's native resolution); else
            they are padded to a multiple of its stride.
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
        self._check_text_classifier()
        self.teacher_input_size = teacher_input_size
        self.set_vocabulary(
            require_recipe_key(class_names, 'class_names',
                               type(self).__name__))
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

    # -- the teacher's view of a batch -------------------------------------
    def teacher_features(self,
                         inputs: Tensor) -> Tuple[Tensor, Optional[Tensor]]:
        """Teacher dense features ``(N, D, h, w)`` of the student's inputs
        ``(N, 3, H, W)``, and the keys its key smoothing needs (else None).
        """
        return self.teacher.dense_features_and_keys(self.teacher_view(inputs))

    def raw_pixels(self, inputs: Tensor) -> Tensor:
        """The student's preprocessed inputs back in 0-255 units."""
        pre = self.data_preprocessor
        return inputs * pre.std + pre.mean if pre._enable_normalize else inputs

    def teacher_view(self, inputs: Tensor) -> Tensor:
        """The student's inputs ``(N, 3, H, W)`` as the teacher sees them:
        CLIP-normalised, resized to ``teacher_input_size`` or padded to
        its stride."""
        x = clip_normalize(self.raw_pixels(inputs))
        if self.teacher_input_size is not None:
            x = F.interpolate(
                x,
                size=tuple(self.teacher_input_size),
                mode='bilinear',
                align_corners=False)
        else:
            x = pad_to_stride(x, self.teacher.stride)
        return x

    def _keep_text(self, state_dict, prefix, *args) -> None:
        """The vocabulary comes from ``class_names``, not from the
        checkpoint: keep this model's text banks when loading."""
        for key, value in self.state_dict().items():
            if key.endswith('decode_head.conv_seg.text'):
                state_dict[prefix + key] = value
