from contextlib import contextmanager
from functools import partial
from typing import Callable, Iterator, List, NamedTuple, Optional, Tuple

import torch
import torch.nn.functional as F
from mmseg.models.segmentors import EncoderDecoder
from mmseg.registry import MODELS
from mmseg.utils import ConfigType, OptConfigType, SampleList, add_prefix
from torch import Tensor, nn

from vlkd_seg.utils.errors import ConfigError
from ..decode_heads import TextClassifier
from ..label_spaces import restrict_logits
from .vocabulary import Vocabulary, VocabularyOwner

#: prediction of a pixel no class is sure enough of (``unknown_thresh``)
UNKNOWN_LABEL = 255


class HeadOutputs(NamedTuple):
    """What one training forward of the decode head produced.

    Attributes:
        logits (Tensor): ``(N, K, h, w)`` class logits.
        embeddings (Tensor): ``(N, D, h, w)`` unit pixel embeddings (the
            head's output, L2-normalised over D).
        features (Tensor, optional): ``(N, C, h, w)`` head features before
            its dropout; None for a head without dropout.
    """
    logits: Tensor
    embeddings: Tensor
    features: Optional[Tensor]


@MODELS.register_module()
class TextEncoderDecoder(VocabularyOwner, EncoderDecoder):
    """An mmseg ``EncoderDecoder`` that names pixels with class texts.

    The decode head (any mmseg head: FCN, ASPP, DeepLabV3+, DeepLabV2,
    LSeg, ...) is built with ``num_classes`` = the CLIP dimension D, so its
    ``conv_seg`` projects every pixel into the text space; the
    :class:`TextClassifier` scores those embeddings against the texts of
    :attr:`vocabulary`, the one place they live. The segmentor hands them
    to the classifier as an argument; the vocabulary is changed by the
    model that owns the text encoder (a distiller's ``set_vocabulary``), and
    the class count is the vocabulary's length, nowhere copied.

    Args:
        embed_dim (int): CLIP dimension D (the teacher's).
        decode_head (dict): mmseg decode head with ``num_classes=D``.
        classifier (dict, optional): :class:`TextClassifier` arguments
            besides ``embed_dim``. In ``mode='dot'`` (the MaskCLIP+
            release: the head's features dotted with the texts as they
            are) the head must have ``channels=D``; its ``conv_seg`` is the
            identity, fixed.
        auxiliary_head (dict | list, optional): Heads classified the same
            way (``num_classes=D``).
        **kwargs: :class:`EncoderDecoder` arguments.
    """

    def __init__(self,
                 embed_dim: int,
                 decode_head: ConfigType,
                 classifier: OptConfigType = None,
                 **kwargs):
        super().__init__(decode_head=decode_head, **kwargs)
        self.embed_dim = embed_dim
        self.vocabulary = Vocabulary(embed_dim)
        self.classifier = TextClassifier(embed_dim, **(classifier or {}))
        for head in self._text_heads():
            if head.out_channels != embed_dim:
                raise ConfigError(
                    f'{type(head).__name__} has num_classes='
                    f'{head.out_channels}; a text head projects pixels into '
                    f'the {embed_dim}-d text space: set num_classes='
                    f'{embed_dim} (the class count is the vocabulary\'s).')
        if self.classifier.mode == 'dot':
            self._fix_identity_projection()

    def _text_heads(self) -> List[nn.Module]:
        if not self.with_auxiliary_head:
            return [self.decode_head]
        aux = self.auxiliary_head
        return [
            self.decode_head,
            *(aux if isinstance(aux, nn.ModuleList) else [aux])
        ]

    def _fix_identity_projection(self) -> None:
        head = self.decode_head
        if head.channels != self.embed_dim:
            raise ConfigError(
                f"mode='dot' classifies the head's features as they are: "
                f'the head has {head.channels} channels but the text '
                f'{self.embed_dim}; set its channels to {self.embed_dim}.')
        head.conv_seg.requires_grad_(False)
        with torch.no_grad():
            head.conv_seg.weight.copy_(
                torch.eye(self.embed_dim)[..., None, None])
            head.conv_seg.bias.zero_()

    def init_weights(self) -> None:
        super().init_weights()
        if self.classifier.mode == 'dot':
            self._fix_identity_projection()

    def _text(self, text: Optional[Tensor]) -> Tensor:
        if text is None:
            text = self.vocabulary.text
        if len(text) == 0:
            raise ConfigError(
                'the model has no vocabulary: give its class_names in the '
                'config or call set_vocabulary(model, names) '
                '(vlkd_seg.apis)')
        return text

    def decode(self, x: List[Tensor], text: Optional[Tensor] = None) -> Tensor:
        """Class logits ``(N, K, h, w)`` of backbone (and neck) features.

        Args:
            x (list[Tensor]): :meth:`extract_feat` of the inputs.
            text (Tensor, optional): ``(K, D)`` texts; the vocabulary's by
                default (a copy of the model borrows its owner's).
        """
        return self.classifier(self.decode_head.forward(x), self._text(text))

    def encode_decode(self, inputs: Tensor,
                      batch_img_metas: List[dict]) -> Tensor:
        """Logits ``(N, K, H, W)`` at the inputs' size."""
        return self.decode_head.predict_by_feat(
            self.decode(self.extract_feat(inputs)), batch_img_metas)

    def postprocess_result(self,
                           seg_logits: Tensor,
                           data_samples: SampleList = None) -> SampleList:
        """mmseg's, then the pixels whose most likely class has a lower
        probability than ``test_cfg.unknown_thresh`` (SSIW: 0.5) labelled
        255, "unknown"."""
        samples = super().postprocess_result(seg_logits, data_samples)
        thresh = (self.test_cfg or {}).get('unknown_thresh')
        if thresh is None:
            return samples
        for sample in samples:
            best = sample.seg_logits.data.softmax(dim=0).amax(
                dim=0, keepdim=True)
            sample.pred_sem_seg.data = sample.pred_sem_seg.data.masked_fill(
                best < thresh, UNKNOWN_LABEL)
        return samples

    def _forward(self, inputs: Tensor, data_samples: SampleList = None):
        return self.decode(self.extract_feat(inputs))

    def forward_train_outputs(self,
                              x: List[Tensor],
                              text: Optional[Tensor] = None) -> HeadOutputs:
        """One training forward of the decode head: :class:`HeadOutputs`.
        """
        head = self.decode_head
        with _first_input(getattr(head, 'dropout', None)) as features:
            embeddings = head.forward(x)
        return HeadOutputs(
            self.classifier(embeddings, self._text(text)),
            F.normalize(embeddings, dim=1), features[0] if features else None)

    def classify_features(self,
                          features: Tensor,
                          text: Optional[Tensor] = None) -> Tensor:
        """Logits of :attr:`HeadOutputs.features` as the head makes them,
        without its dropout."""
        return self.classifier(
            self.decode_head.conv_seg(features), self._text(text))

    def loss_by_logits(
            self,
            x: List[Tensor],
            logits: Tensor,
            data_samples: SampleList,
            label_spaces: Optional[Tuple[Tensor, Tensor]] = None) -> dict:
        """The decode head's losses of ``logits`` (from
        :meth:`forward_train_outputs` of ``x``) and the auxiliary heads'
        losses of ``x``, against the labels of ``data_samples``.

        ``label_spaces``: ``(N, K)`` bool of the classes each sample's
        dataset annotates and ``(N, 1, H, W)`` bool of the pixels where
        every class competes: the others are neither positives nor
        negatives (:func:`restrict_logits`); None: every class everywhere.
        """
        restrict = partial(self._restrict, label_spaces=label_spaces)
        losses = add_prefix(
            self.decode_head.loss_by_feat(restrict(logits), data_samples),
            'decode')
        if self.with_auxiliary_head:
            losses.update(
                self._auxiliary_head_forward_train(x, data_samples, restrict))
        return losses

    def _restrict(self, logits: Tensor,
                  label_spaces: Optional[Tuple[Tensor, Tensor]]) -> Tensor:
        if label_spaces is None:
            return logits
        return restrict_logits(logits, *label_spaces, self.align_corners)

    def _decode_head_forward_train(self, x: List[Tensor],
                                   data_samples: SampleList) -> dict:
        return add_prefix(
            self.decode_head.loss_by_feat(self.decode(x), data_samples),
            'decode')

    def _auxiliary_head_forward_train(
            self,
            x: List[Tensor],
            data_samples: SampleList,
            restrict: Callable[[Tensor],
                               Tensor] = lambda logits: logits) -> dict:
        heads = self._text_heads()[1:]
        text = self._text(None)
        losses = {}
        for idx, head in enumerate(heads):
            logits = restrict(self.classifier(head.forward(x), text))
            loss = head.loss_by_feat(logits, data_samples)
            name = 'aux' if len(heads) == 1 and not isinstance(
                self.auxiliary_head, nn.ModuleList) else f'aux_{idx}'
            losses.update(add_prefix(loss, name))
        return losses


@contextmanager
def _first_input(module: Optional[nn.Module]) -> Iterator[List[Tensor]]:
    """Collect the first input of ``module``'s forward calls inside the
    block; a None module records nothing."""
    records: List[Tensor] = []
    if module is None:
        yield records
        return
    handle = module.register_forward_pre_hook(
        lambda mod, args: records.append(args[0]))
    try:
        yield records
    finally:
        handle.remove()
