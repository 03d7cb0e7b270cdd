from typing import List, Sequence, Union

import torch
import torch.nn.functional as F
from mmseg.models.segmentors import BaseSegmentor
from mmseg.registry import MODELS
from mmseg.utils import ConfigType, OptConfigType, SampleList
from torch import Tensor, nn

from vlkd_seg.utils.clip_input import clip_normalize, to_pixels
from vlkd_seg.utils.errors import ConfigError, SetupError, number_in_range
from vlkd_seg.utils.vocabulary import load_class_names
from ..teachers import exclude_teacher_from_checkpoints

MODES = ('baseline', 'clims')


@MODELS.register_module()
class CAMNet(BaseSegmentor):
    """Class activation maps learned from image tags: the baseline CAM
    (multi-label classification with global average pooling, IRN's
    ``train_cam``) and CLIMS (Xie et al., CVPR 2022), which trains the same
    maps with a frozen CLIP as the judge.

    A backbone's last feature map goes through a 1x1 convolution without
    bias to one map per foreground class, ``M = sigmoid(conv(f))``. Mode
    ``'baseline'``: the multi-label soft-margin loss of the pooled logits
    against each image's tags. Mode ``'clims'``: ``loss`` (a
    ``CLIPJudgedCAMLoss``) on the maps of the tagged classes, judged by
    ``teacher`` (a ``CLIPTeacher``, left out of checkpoints) against
    "a photo of {class}." and the ``background_texts``. At test, the maps
    (of each image's tags with ``test_cfg=dict(use_tags=True)``, the CAM
    evaluation; of every class otherwise) upsampled, the background where
    none reaches ``background_thresh``.

    Args:
        backbone (dict): mmseg / mmpretrain backbone; its last output is
            used.
        class_names (str | Sequence[str]): The dataset's classes.
        background_idx (int): The class of no tag (VOC-aug 21: 0).
        mode (str): ``'baseline'`` or ``'clims'``.
        in_channels (int): Channels of the backbone's last output.
        teacher (dict, optional): ``CLIPTeacher`` config (``'clims'``).
        background_texts (str | Sequence[str]): Class-related background
            names (``'clims'``): names, a file or a packaged list.
        loss (dict): ``CLIPJudgedCAMLoss`` config (``'clims'``).
        background_thresh (float): Score of the background at test.
        neck, data_preprocessor, test_cfg, init_cfg: As mmseg's.
    """

    def __init__(self,
                 backbone: ConfigType,
                 class_names: Union[str, Sequence[str]],
                 in_channels: int,
                 background_idx: int = 0,
                 mode: str = 'baseline',
                 teacher: OptConfigType = None,
                 background_texts: Union[str, Sequence[str]] = (),
                 loss: ConfigType = dict(type='CLIPJudgedCAMLoss'),
                 background_thresh: float = 0.15,
                 neck: OptConfigType = None,
                 data_preprocessor: OptConfigType = None,
                 test_cfg: OptConfigType = None,
                 init_cfg: OptConfigType = None,
                 train_cfg: OptConfigType = None):
        super().__init__(
            data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        if mode not in MODES:
            raise ConfigError(f'CAMNet mode must be one of {MODES}, got '
                              f'{mode!r}')
        self.class_names = load_class_names(class_names)
        if not 0 <= background_idx < len(self.class_names):
            raise ConfigError(f'CAMNet background_idx {background_idx} is not'
                              f' a class of the {len(self.class_names)}')
        self.mode, self.background_idx = mode, background_idx
        self.foreground = [
            i for i in range(len(self.class_names)) if i != background_idx
        ]
        self.background_thresh = number_in_range(background_thresh,
                                                 'CAMNet background_thresh', 0,
                                                 1)
        self.test_cfg = dict(test_cfg or {})
        self.align_corners = False  # postprocess_result resizes with it
        self.backbone = MODELS.build(backbone)
        self.neck = MODELS.build(neck) if neck is not None else None
        self.classifier = nn.Conv2d(
            in_channels, len(self.foreground), 1, bias=False)
        nn.init.normal_(self.classifier.weight, std=0.01)  # the release's
        self.teacher = self.cam_loss = None
        if mode == 'clims':
            self._build_judge(teacher, background_texts, loss)

    def _build_judge(self, teacher, background_texts, loss) -> None:
        if teacher is None:
            raise ConfigError("CAMNet mode='clims' needs its CLIP judge: "
                              "teacher=dict(type='CLIPTeacher', ...)")
        self.teacher = MODELS.build(teacher)
        self.cam_loss = MODELS.build(loss)
        names = [self.class_names[i] for i in self.foreground]
        self.register_buffer(
            'class_text',
            self.teacher.encode_text(names, templates=['a photo of {}.']),
            persistent=False)
        texts = load_class_names(background_texts) if background_texts \
            else []
        self.register_buffer(
            'background_text',
            self.teacher.encode_text(texts, templates=['a photo of {}.'])
            if texts else self.class_text.new_zeros(0, self.teacher.embed_dim),
            persistent=False)
        exclude_teacher_from_checkpoints(self)

    # -- the maps ------------------------------------------------------------
    def extract_feat(self, inputs: Tensor) -> Tensor:
        """The backbone's (and neck's) last feature map."""
        x = self.backbone(inputs)
        if self.neck is not None:
            x = self.neck(x)
        return x[-1] if isinstance(x, (list, tuple)) else x

    def logits(self, inputs: Tensor) -> Tensor:
        """``(N, K - 1, h, w)`` foreground logits (before the sigmoid)."""
        return self.classifier(self.extract_feat(inputs))

    def _forward(self, inputs: Tensor, data_samples: SampleList = None):
        return self.logits(inputs).sigmoid()

    # -- training ------------------------------------------------------------
    def tag_matrix(self, data_samples: SampleList) -> Tensor:
        """``(N, K - 1)`` float: each image's foreground tags."""
        tags = torch.zeros(len(data_samples), len(self.foreground))
        for n, sample in enumerate(data_samples):
            own = sample.metainfo.get('img_tags')
            if own is None:
                raise SetupError(
                    'a training sample has no img_tags: put ImageTags in '
                    "the train pipeline and 'img_tags' in PackSegInputs' "
                    'meta_keys (vlkd_seg.datasets.TAG_META_KEYS)')
            for c in own:
                if c != self.background_idx:
                    tags[n, self.foreground.index(int(c))] = 1
        return tags

    def loss(self, inputs: Tensor, data_samples: SampleList) -> dict:
        tags = self.tag_matrix(data_samples).to(inputs.device)
        logits = self.logits(inputs)
        if self.mode == 'baseline':
            pooled = logits.mean(dim=(2, 3))  # = conv(GAP(f)): no bias
            return dict(loss_cls=F.multilabel_soft_margin_loss(pooled, tags))
        pairs = tags.nonzero()
        if not len(pairs):  # no image of the batch is tagged
            return dict(loss_cam=logits.sum() * 0)
        images = clip_normalize(to_pixels(self.data_preprocessor, inputs))
        return self.cam_loss(logits.sigmoid(), images, pairs,
                             self.teacher.judge_images, self.class_text,
                             self.background_text)

    # -- test ----------------------------------------------------------------
    def encode_decode(self, inputs: Tensor,
                      batch_img_metas: List[dict]) -> Tensor:
        """``(N, K, H, W)`` class scores at the inputs' size: the maps, the
        background at ``background_thresh``."""
        maps = F.interpolate(
            self._forward(inputs),
            inputs.shape[-2:],
            mode='bilinear',
            align_corners=False)
        scores = maps.new_full(
            (len(maps), len(self.class_names), *maps.shape[-2:]),
            self.background_thresh)
        scores[:, self.foreground] = maps
        return scores

    def predict(self, inputs: Tensor, data_samples: SampleList = None):
        metas = [s.metainfo for s in data_samples] if data_samples else [
            dict(
                img_shape=inputs.shape[-2:],
                ori_shape=inputs.shape[-2:],
                padding_size=[0, 0, 0, 0])
        ] * len(inputs)
        scores = self.encode_decode(inputs, metas)
        if self.test_cfg.get('use_tags'):
            untagged = self.tag_matrix(data_samples).to(scores.device) == 0
            fg = scores[:, self.foreground]
            scores[:,
                   self.foreground] = fg.masked_fill(untagged[..., None, None],
                                                     -1.)
        return self.postprocess_result(scores, data_samples)
