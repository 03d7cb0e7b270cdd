from typing import List, Sequence, Tuple

import torch
import torch.nn.functional as F
from mmengine.config import ConfigDict
from mmseg.models.decode_heads import Mask2FormerHead
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample
from mmseg.utils import ConfigType, SampleList
from torch import Tensor, nn

from vlkd_seg.utils.errors import ConfigError, number_in_range

try:  # mmseg's Mask2FormerHead is mmdet's; without mmdet it is a stub
    from mmdet.models.dense_heads import Mask2FormerHead as _MMDetHead
except ImportError:  # pragma: no cover - mmdet is a runtime requirement
    _MMDetHead = None

#: mmseg's Mask2Former class loss (its class weights are set from
#: ``num_classes`` and ``no_object_weight``)
_LOSS_CLS = dict(
    type='mmdet.CrossEntropyLoss',
    use_sigmoid=False,
    loss_weight=2.0,
    reduction='mean')


@MODELS.register_module()
class TextMask2FormerHead(Mask2FormerHead):
    """mmseg's Mask2Former head whose queries are classified by their cosine
    to class texts (FreeSeg, ZSSeg): open-vocabulary mask proposals.

    Each query's class embedding (an MLP of its decoder output, as the
    FreeSeg release) is compared with the texts the segmentor passes in and
    with a learnable no-object embedding: ``logit_scale * cos``. The texts
    are an argument of :meth:`forward`, :meth:`loss` and
    :meth:`predict_queries`, never an attribute; ``num_classes`` is the
    number of texts trained on (the segmentor sets it to its seen classes),
    which mmdet's matching and class weights use.

    Args:
        embed_dim (int): Dimension D of the text embeddings.
        class_embed_hidden (int): Hidden width of the query's class MLP
            (release: 1024; 0 for one linear layer).
        logit_scale (float): Temperature of the cosines (release: 100).
        no_object_weight (float): Class weight of no-object in the class
            loss (release: 0.1); the classes weigh 1.
        **kwargs: ``Mask2FormerHead`` arguments (``num_classes``,
            ``feat_channels``, the pixel decoder, losses, ``train_cfg``).
    """

    def __init__(self,
                 embed_dim: int,
                 class_embed_hidden: int = 1024,
                 logit_scale: float = 100.,
                 no_object_weight: float = 0.1,
                 **kwargs) -> None:
        if _MMDetHead is None:  # pragma: no cover
            raise ConfigError('TextMask2FormerHead needs mmdet: pip install '
                              'mmdet==3.3.0 (make setup installs it)')
        num_classes = kwargs.get('num_classes')
        if not (isinstance(num_classes, int) and num_classes > 0):
            raise ConfigError('TextMask2FormerHead num_classes (the classes '
                              f'trained on) must be > 0, got {num_classes!r}')
        loss_cls = ConfigDict(kwargs.pop('loss_cls', None) or _LOSS_CLS)
        loss_cls['class_weight'] = [1.0] * num_classes + [
            number_in_range(no_object_weight,
                            'TextMask2FormerHead no_object_weight', 0)
        ]
        super().__init__(loss_cls=loss_cls, **kwargs)
        feat = kwargs['feat_channels']
        self.cls_embed = _class_mlp(feat, class_embed_hidden, embed_dim)
        # release: normal, std = width ** -0.5, of the text width
        self.no_object = nn.Parameter(
            torch.randn(1, embed_dim) * embed_dim**-0.5)
        self.embed_dim = embed_dim
        self.logit_scale = number_in_range(logit_scale,
                                           'TextMask2FormerHead logit_scale',
                                           1e-3)

    def classify(self, embeddings: Tensor, text: Tensor) -> Tensor:
        """``(N, Q, K + 1)`` logits: ``logit_scale`` times the cosines of
        the query class embeddings ``(N, Q, D)`` to the texts ``(K, D)``
        and to the no-object embedding (last)."""
        if text.dim() != 2 or text.shape[1] != self.embed_dim:
            raise ConfigError(
                f'text embeddings of shape {tuple(text.shape)} for a head of '
                f'embed_dim {self.embed_dim}: build them with the CLIP the '
                'head was configured for')
        bank = F.normalize(
            torch.cat([text.to(embeddings), self.no_object]), dim=-1)
        return self.logit_scale * F.normalize(embeddings, dim=-1) @ bank.t()

    def forward(self, x: Sequence[Tensor], batch_data_samples: SampleList,
                text: Tensor) -> Tuple[List[Tensor], List[Tensor]]:
        """Class logits ``(N, Q, K + 1)`` and mask logits ``(N, Q, h, w)``
        after every decoder layer.

        Args:
            x (Sequence[Tensor]): Multi-level backbone features.
            batch_data_samples (list[SegDataSample]): Their samples.
            text (Tensor): ``(K, D)`` texts of the classes to score.
        """
        embeddings, masks = super().forward(list(x), batch_data_samples)
        return [self.classify(e, text) for e in embeddings], masks

    def loss(self, x: Sequence[Tensor], batch_data_samples: SampleList,
             train_cfg: ConfigType, text: Tensor) -> dict:
        """mmdet's Mask2Former losses (Hungarian matching, class, mask and
        dice) with the queries scored against ``text`` ``(K, D)``; the
        samples' labels index ``text`` (255 ignored)."""
        if len(text) != self.num_classes:
            raise ConfigError(
                f'{len(text)} texts for a head trained on {self.num_classes} '
                'classes: pass the texts of the classes the labels index')
        instances, metas = self._seg_data_to_instance_data(batch_data_samples)
        cls_logits, mask_logits = self(x, batch_data_samples, text)
        return self.loss_by_feat(cls_logits, mask_logits, instances, metas)

    def predict_queries(self, x: Sequence[Tensor], batch_img_metas: List[dict],
                        text: Tensor,
                        size: Tuple[int, int]) -> Tuple[Tensor, Tensor]:
        """The last layer's class logits ``(N, Q, K + 1)`` and mask logits
        ``(N, Q, H, W)`` upsampled to ``size`` ``(H, W)``, the input's (a
        sliding window's crop or the padded batch)."""
        samples = [SegDataSample(metainfo=m) for m in batch_img_metas]
        cls_logits, mask_logits = self(x, samples, text)
        masks = F.interpolate(
            mask_logits[-1],
            size=tuple(size),
            mode='bilinear',
            align_corners=False)
        return cls_logits[-1], masks

    def predict(self, x, batch_img_metas, test_cfg):  # pragma: no cover
        raise ConfigError('TextMask2FormerHead predicts through its '
                          'segmentor (FreeSeg), which passes the texts')


def _class_mlp(in_dim: int, hidden: int, out_dim: int) -> nn.Module:
    if not hidden:
        return nn.Linear(in_dim, out_dim)
    return nn.Sequential(
        nn.Linear(in_dim, hidden), nn.ReLU(inplace=True),
        nn.Linear(hidden, out_dim))
