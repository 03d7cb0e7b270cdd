import copy
from typing import List, Optional, Sequence, Union

from mmengine.config import ConfigDict
from mmseg.models.segmentors import EncoderDecoder
from mmseg.registry import MODELS
from mmseg.utils import ConfigType, OptConfigType, SampleList, add_prefix
from torch import Tensor

from vlkd_seg.utils.clip_input import clip_normalize, to_pixels
from vlkd_seg.utils.errors import ConfigError, number_in_range, required
from vlkd_seg.utils.vocabulary import load_class_names
from ..label_maps import seen_positions, stacked_labels, with_labels
from ..teachers import (build_learned_prompts,
                        exclude_teacher_from_checkpoints)
from .two_stage import geometric_ensemble, semantic_scores
from .vocabulary import Vocabulary, VocabularyOwner
from .zegclip_split import check_seen_split


@MODELS.register_module()
class FreeSeg(VocabularyOwner, EncoderDecoder):
    """Two-stage open-vocabulary segmentation (FreeSeg, Qin et al. CVPR
    2023; ZSSeg before it): class-agnostic mask proposals named by text.

    A backbone and ``TextMask2FormerHead`` propose ``Q`` masks; each query
    is classified by its cosine to the texts of :attr:`vocabulary` (encoded
    by the frozen ``text_encoder``, a ``CLIPTeacher`` left out of
    checkpoints) plus a learnable no-object. Training is inductive: only
    the seen classes' texts are scored and the pixels of ``unseen_idx`` are
    ignored. At test time the frozen CLIP also names every proposal
    (``region_classifier``), the two distributions are ensembled
    (:func:`geometric_ensemble`, the trained classifier trusted on the
    seen classes, CLIP on the others) and the masks are summed with their
    class scores as weights.

    Args:
        backbone (dict): mmseg backbone (multi-level features).
        decode_head (dict): ``TextMask2FormerHead`` config; its
            ``num_classes`` and ``embed_dim`` are set here.
        text_encoder (dict): ``CLIPTeacher`` config.
        class_names (str | Sequence[str]): Vocabulary.
        unseen_idx (Sequence[int]): Classes never trained on.
        descriptions (str | Sequence[str], optional): Sentences per class
            (template prompts only).
        prompts (dict, optional): ``LearnedPrompts`` config whose
            ``checkpoint`` is a ``PromptLearner`` run's (the release's
            stage 1): the texts are the learned prompts', frozen and left
            out of checkpoints; None: the teacher's templates.
        region_classifier (dict, optional): ``CLIPRegionClassifier``
            config; None: the query classifier alone.
        ensemble_weight (float): ``w`` of the ensemble (release: 0.8).
        neck, train_cfg, test_cfg, data_preprocessor, init_cfg: As
            ``EncoderDecoder``'s.
        pretrained (str, optional): Must be None (backbone ``init_cfg``).
    """

    def __init__(self,
                 backbone: ConfigType,
                 decode_head: ConfigType,
                 text_encoder: ConfigType,
                 class_names: Union[str, Sequence[str], None] = None,
                 unseen_idx: Optional[Sequence[int]] = None,
                 descriptions: Optional[Union[str, Sequence[str]]] = None,
                 prompts: OptConfigType = None,
                 region_classifier: OptConfigType = dict(
                     type='CLIPRegionClassifier'),
                 ensemble_weight: float = 0.8,
                 neck: OptConfigType = None,
                 train_cfg: OptConfigType = None,
                 test_cfg: OptConfigType = None,
                 data_preprocessor: OptConfigType = None,
                 pretrained: Optional[str] = None,
                 init_cfg: OptConfigType = None):
        if pretrained is not None:
            raise ConfigError(f'pretrained={pretrained!r}: give FreeSeg\'s '
                              'backbone init_cfg=dict(type=\'Pretrained\', '
                              'checkpoint=...) instead')
        names = load_class_names(
            required(class_names, 'class_names', 'FreeSeg'))
        unseen = check_seen_split(
            required(unseen_idx, 'unseen_idx', 'FreeSeg'), len(names))
        encoder = MODELS.build(text_encoder)
        head = copy.deepcopy(dict(decode_head))
        head.update(
            num_classes=len(names) - len(unseen), embed_dim=encoder.embed_dim)
        super().__init__(
            backbone,
            head,
            neck=neck,
            train_cfg=train_cfg,
            test_cfg=ConfigDict(test_cfg or dict(mode='whole')),
            data_preprocessor=data_preprocessor,
            init_cfg=init_cfg)
        self.text_encoder = encoder
        exclude_teacher_from_checkpoints(self, 'text_encoder')
        self.prompts = self._build_prompts(prompts)
        self.vocabulary = Vocabulary(encoder.embed_dim)
        self.set_vocabulary(names, descriptions)
        self._keep_split(unseen)
        self.region_classifier = MODELS.build(
            region_classifier) if region_classifier else None
        self.ensemble_weight = number_in_range(ensemble_weight,
                                               'FreeSeg ensemble_weight', 0, 1)

    def _build_prompts(self, prompts: OptConfigType):
        if prompts is None:
            return None
        if not prompts.get('checkpoint'):
            raise ConfigError(
                'FreeSeg prompts need checkpoint=: the checkpoint of its '
                'stage 1 (a PromptLearner run, configs/freeseg/'
                'freeseg-prompts_*.py)')
        built = build_learned_prompts(prompts, self.text_encoder)
        exclude_teacher_from_checkpoints(self, 'prompts')
        return built

    def set_vocabulary(
            self,
            class_names: Union[str, Sequence[str]],
            descriptions: Optional[Union[str, Sequence[str]]] = None) -> None:
        """Segment ``class_names`` from now on, named by the learned
        prompts if the model has them, else by the teacher's templates."""
        self.vocabulary.name(
            class_names, self.text_encoder, descriptions, prompts=self.prompts)

    # -- inference ---------------------------------------------------------
    def class_scores(self, inputs: Tensor, cls_logits: Tensor,
                     mask_logits: Tensor) -> Tensor:
        """``(N, Q, K)`` proposal class scores: the query classifier's
        probabilities, ensembled with the region classifier's if any."""
        p_query = cls_logits.softmax(-1)[..., :-1]
        if self.region_classifier is None:
            return p_query
        images = clip_normalize(to_pixels(self.data_preprocessor, inputs))
        p_clip, _ = self.region_classifier(self.text_encoder, images,
                                           mask_logits, self.vocabulary.text)
        return geometric_ensemble(p_query, p_clip, self.seen_mask(),
                                  self.ensemble_weight)

    def encode_decode(self, inputs: Tensor,
                      batch_img_metas: List[dict]) -> Tensor:
        """``(N, K, H, W)`` semantic scores of ``(N, 3, H, W)`` inputs."""
        cls_logits, mask_logits = self.decode_head.predict_queries(
            self.extract_feat(inputs), batch_img_metas, self.vocabulary.text,
            inputs.shape[-2:])
        scores = self.class_scores(inputs, cls_logits, mask_logits)
        return semantic_scores(scores, mask_logits)

    # -- training ----------------------------------------------------------
    def loss(self, inputs: Tensor, data_samples: SampleList) -> dict:
        """Mask2Former's losses on the seen classes (unseen pixels
        ignored), the queries scored against the seen texts."""
        seen = [i for i in range(self.num_classes) if i not in self.unseen_idx]
        labels = seen_positions(
            stacked_labels(data_samples), seen, self.decode_head.ignore_index)
        losses = self.decode_head.loss(
            self.extract_feat(inputs), with_labels(data_samples, labels),
            self.train_cfg, self.vocabulary.text[seen])
        return add_prefix(losses, 'decode')
