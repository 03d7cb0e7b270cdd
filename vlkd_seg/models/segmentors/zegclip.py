from typing import List, Optional, Sequence, Union

from mmengine.config import ConfigDict
from mmseg.models.segmentors import MultimodalEncoderDecoder
from mmseg.registry import MODELS
from mmseg.utils import ConfigType, OptConfigType, SampleList, add_prefix
from torch import Tensor

from vlkd_seg.utils.errors import (ConfigError, SetupError, number_in_range,
                                   required)
from ..label_maps import seen_positions, stacked_labels, with_labels
from ..teachers import exclude_teacher_from_checkpoints
from .vocabulary import Vocabulary, VocabularyOwner
from .zegclip_split import self_training_labels


@MODELS.register_module()
class ZegCLIP(VocabularyOwner, MultimodalEncoderDecoder):
    """ZegCLIP (Zhou et al., CVPR 2023): zero-shot segmentation with the
    frozen CLIP image tower in the inference path.

    A prompt-tuned frozen CLIP ViT (``PromptedCLIPViT``) embeds patches and
    the image; ``ZegCLIPHead`` turns the class texts of :attr:`vocabulary`
    (encoded by the frozen ``text_encoder``, a ``CLIPTeacher`` left out of
    checkpoints) into queries whose attention logits are per-class masks.

    Training is inductive by default: the head sees only the seen classes'
    texts, and pixels of ``unseen_idx`` are ignored (drop the images that
    hold them from the dataset for the strict inductive protocol). From
    ``self_training_start`` on (transductive), every text is scored and the
    pixels labelled with an unseen class take the argmax of the unseen
    scores of the same forward. At test time the scores are sigmoids, the
    classes trained on (the vocabulary's names but the unseen) lowered by
    ``seen_score_offset``.

    Args:
        image_encoder (dict): ``PromptedCLIPViT`` config.
        text_encoder (dict): ``CLIPTeacher`` config (the same CLIP).
        decode_head (dict): ``ZegCLIPHead`` config.
        class_names (str | Sequence[str]): Vocabulary: names, a file or a
            packaged vocabulary.
        unseen_idx (Sequence[int]): Classes of the vocabulary never
            trained on ([] for the fully supervised oracle).
        descriptions (str | Sequence[str], optional): One sentence per
            class appended to the prompts.
        seen_score_offset (float): Subtracted from the trained classes'
            scores at test time (release: 0.1 inductive, 0 transductive).
        self_training_start (int, optional): First iteration of
            transductive self-training; None: inductive throughout.
        train_cfg, test_cfg, data_preprocessor, init_cfg: As mmseg's.
        pretrained (str, optional): Accepted for ``init_model``; must be
            None.
    """

    def __init__(self,
                 image_encoder: ConfigType,
                 text_encoder: ConfigType,
                 decode_head: ConfigType,
                 class_names: Union[str, Sequence[str], None] = None,
                 unseen_idx: Optional[Sequence[int]] = None,
                 descriptions: Optional[Union[str, Sequence[str]]] = None,
                 seen_score_offset: float = 0.1,
                 self_training_start: Optional[int] = None,
                 train_cfg: OptConfigType = None,
                 test_cfg: OptConfigType = None,
                 data_preprocessor: OptConfigType = None,
                 pretrained: Optional[str] = None,
                 init_cfg: OptConfigType = None):
        if pretrained is not None:
            raise ConfigError(f'pretrained={pretrained!r}: ZegCLIP takes its '
                              'CLIP weights from image_encoder.checkpoint '
                              'and text_encoder.checkpoint')
        super().__init__(
            image_encoder,
            text_encoder,
            decode_head,
            train_cfg=train_cfg,
            test_cfg=ConfigDict(test_cfg or dict(mode='whole')),
            data_preprocessor=data_preprocessor,
            asymetric_input=False,
            init_cfg=init_cfg)
        exclude_teacher_from_checkpoints(self, 'text_encoder')
        self._check_dims()
        self.vocabulary = Vocabulary(self.text_encoder.embed_dim)
        self.set_vocabulary(
            required(class_names, 'class_names', 'ZegCLIP'), descriptions)
        self._keep_split(required(unseen_idx, 'unseen_idx', 'ZegCLIP'))
        self.seen_score_offset = number_in_range(seen_score_offset,
                                                 'ZegCLIP seen_score_offset',
                                                 0, 1)
        if self_training_start is not None and not (isinstance(
                self_training_start, int) and self_training_start >= 0):
            raise ConfigError('ZegCLIP self_training_start must be an '
                              'iteration >= 0 or None, got '
                              f'{self_training_start!r}')
        self.self_training_start = self_training_start
        self._train_iter: Optional[int] = None

    def _check_dims(self) -> None:
        dims = dict(
            image_encoder=self.image_encoder.embed_dim,
            text_encoder=self.text_encoder.embed_dim,
            decode_head=self.decode_head.in_channels)
        if len(set(dims.values())) > 1:
            raise ConfigError(f'ZegCLIP parts of different dimensions '
                              f'{dims}: build them from one CLIP')

    # -- inference ---------------------------------------------------------
    def extract_feat(self, inputs: Tensor):
        """Unit patch ``(N, D, h, w)`` and image ``(N, D)`` embeddings."""
        return self.image_encoder(inputs)

    def _forward(self, inputs: Tensor, data_samples: SampleList = None):
        return self.decode_head.forward(
            [*self.extract_feat(inputs), self.vocabulary.text])

    def encode_decode(self, inputs: Tensor,
                      batch_img_metas: List[dict]) -> Tensor:
        """``(N, K, H, W)`` scores: sigmoids of the upsampled mask logits,
        the trained classes' lowered by ``seen_score_offset``."""
        logits = self.decode_head.predict_by_feat(
            self._forward(inputs), batch_img_metas)
        offset = self.seen_score_offset * self.seen_mask().to(logits)
        return logits.sigmoid() - offset[:, None, None]

    # -- training ----------------------------------------------------------
    def set_train_iter(self, iteration: int) -> None:
        """The runner's iteration (``TrainIterHook``)."""
        self._train_iter = iteration

    def self_training(self) -> bool:
        """Whether this step self-trains on the unseen pixels."""
        if self.self_training_start is None:
            return False
        if self._train_iter is None:
            raise SetupError(
                'ZegCLIP self-trains from an iteration but was not told the '
                "runner's: add dict(type='TrainIterHook') to custom_hooks")
        return self._train_iter >= self.self_training_start

    def loss(self, inputs: Tensor, data_samples: SampleList) -> dict:
        """Mask losses of the seen classes (inductive) or of all classes
        with self-training labels on the unseen pixels (transductive)."""
        features = self.extract_feat(inputs)
        text, labels = self.vocabulary.text, stacked_labels(data_samples)
        if self.self_training():
            logits = self.decode_head.forward([*features, text])
            labels = self_training_labels(labels, logits.detach(),
                                          self.unseen_idx, self.align_corners)
        else:
            seen = [
                i for i in range(self.num_classes) if i not in self.unseen_idx
            ]
            logits = self.decode_head.forward([*features, text[seen]])
            labels = seen_positions(labels, seen,
                                    self.decode_head.ignore_index)
        losses = self.decode_head.loss_by_feat(
            logits, with_labels(data_samples, labels))
        return add_prefix(losses, 'decode')
