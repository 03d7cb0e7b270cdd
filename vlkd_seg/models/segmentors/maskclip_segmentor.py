from typing import List, Optional, Sequence, Union

import torch.nn.functional as F
from mmengine.config import ConfigDict
from mmseg.models.segmentors import BaseSegmentor, EncoderDecoder
from mmseg.registry import MODELS
from mmseg.utils import ConfigType, OptConfigType, SampleList
from torch import Tensor

from vlkd_seg.utils.clip_input import pad_to_stride
from vlkd_seg.utils.errors import ConfigError, SetupError, required
from ..refiners import LabelBatch, build_refiners, need_keys, refine
from .vocabulary import Vocabulary, VocabularyOwner


@MODELS.register_module()
class MaskCLIPSegmentor(VocabularyOwner, BaseSegmentor):
    """Training-free zero-shot segmentation with a frozen CLIP (MaskCLIP).

    Every pixel is labelled with the class whose text embedding is closest
    to the teacher's dense feature there. The vocabulary is free: swap
    ``class_names`` (or call :meth:`set_vocabulary`) to segment other
    classes. Inputs must be normalised with CLIP's mean and std by the data
    preprocessor. Whole-image and sliding-window inference follow mmseg's
    ``EncoderDecoder``. ``refiners`` change the class probabilities
    ``softmax(100 * cosine)`` on the teacher's grid, in order (MaskCLIP's
    ``PromptDenoising`` then ``KeySmoothing``); the logits are then
    ``log(p) / 100``, so the scale is the cosines' either way.

    Args:
        teacher (dict): Config of a :class:`CLIPTeacher`.
        class_names (str | Sequence[str]): Vocabulary: names, a file with
            one name per line or a packaged vocabulary (``'voc20'``).
        descriptions (str | Sequence[str], optional): One sentence per
            class appended to the prompts.
        refiners (Sequence[dict]): Registered refiners of the teacher's
            class probabilities, in order.
        data_preprocessor (dict, optional): mmseg ``SegDataPreProcessor``
            config with CLIP's normalisation.
        test_cfg (dict, optional): ``dict(mode='whole')`` or
            ``dict(mode='slide', crop_size=..., stride=...)``.
        init_cfg (dict, optional): Unused.
        pretrained (str, optional): Accepted for mmseg's ``init_model``,
            which sets it to None; weights come from ``init_cfg`` and
            checkpoints.
        train_cfg (dict, optional): Accepted for mmseg's ``init_model``;
            unused.
    """

    def __init__(self,
                 teacher: ConfigType,
                 class_names: Union[str, Sequence[str], None] = None,
                 descriptions: Optional[Union[str, Sequence[str]]] = None,
                 refiners: Sequence[dict] = (),
                 data_preprocessor: OptConfigType = None,
                 test_cfg: OptConfigType = None,
                 init_cfg: OptConfigType = None,
                 pretrained: Optional[str] = None,
                 train_cfg: OptConfigType = None):
        super().__init__(
            data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        if pretrained is not None:
            raise ConfigError(f'pretrained={pretrained!r}: MaskCLIP has no '
                              'weights of its own; set the CLIP weights with'
                              ' model.teacher.checkpoint')
        self.teacher = MODELS.build(teacher)
        self.refiners = build_refiners(
            refiners, 'MaskCLIPSegmentor', pixels=False)
        self.test_cfg = ConfigDict(test_cfg or dict(mode='whole'))
        self.align_corners = False
        self.vocabulary = Vocabulary(self.teacher.embed_dim)
        self.set_vocabulary(
            required(class_names, 'class_names', 'MaskCLIPSegmentor'),
            descriptions)

    def set_vocabulary(
            self,
            class_names: Union[str, Sequence[str]],
            descriptions: Optional[Union[str, Sequence[str]]] = None) -> None:
        """Segment ``class_names`` from now on (no retraining involved)."""
        self.vocabulary.name(class_names, self.teacher, descriptions)

    def extract_feat(self, inputs: Tensor) -> Tensor:
        """Teacher dense features ``(N, D, h, w)``."""
        return self.teacher.dense_features(inputs)

    def encode_decode(self, inputs: Tensor,
                      batch_img_metas: List[dict]) -> Tensor:
        """Class logits ``(N, K, H, W)`` at the input resolution.

        Inputs of any size are padded to a multiple of the teacher stride
        and the logits cropped back.
        """
        h, w = inputs.shape[-2:]
        padded = pad_to_stride(inputs, self.teacher.stride)
        logits = self._refined_logits(padded)
        logits = F.interpolate(
            logits,
            size=padded.shape[-2:],
            mode='bilinear',
            align_corners=False)
        return logits[..., :h, :w]

    def _refined_logits(self, view: Tensor) -> Tensor:
        """``(N, K, h, w)`` cosines of the teacher's grid, refined."""
        text = self.text  # read once: a subclass may compute it
        if not self.refiners:
            return self.teacher.dense_logits(view, text)
        features = self.teacher.dense_features_and_keys(
            view, need_keys(self.refiners))
        cosines = self.teacher.logits_from_features(features[0], text)
        batch = LabelBatch(
            inputs=view,
            pixels=None,
            student=None,
            outputs=None,
            teacher=self.teacher,
            teacher_view=view,
            teacher_features=features,
            text=text,
            candidates=list(range(self.num_classes)),
            allowed=None,
            background_idx=None)
        return refine(100 * cosines, self.refiners, batch).div(100).to(cosines)

    predict = EncoderDecoder.predict
    inference = EncoderDecoder.inference
    slide_inference = EncoderDecoder.slide_inference
    whole_inference = EncoderDecoder.whole_inference

    def _forward(self,
                 inputs: Tensor,
                 data_samples: Optional[SampleList] = None) -> Tensor:
        return self.encode_decode(inputs, [])

    def loss(self, inputs: Tensor, data_samples: SampleList) -> dict:
        raise SetupError(
            'MaskCLIPSegmentor is training-free: evaluate it with '
            'tools/test.py, or train a student with a distiller config '
            '(configs/kd/).')
