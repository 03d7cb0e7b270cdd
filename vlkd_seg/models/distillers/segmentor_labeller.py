import os.path as osp

import torch
from mmengine.model import BaseModule
from mmseg.registry import MODELS
from torch import Tensor

from vlkd_seg.utils.checkpoints import load_trained_weights
from vlkd_seg.utils.clip_input import from_pixels
from vlkd_seg.utils.config_checks import load_config
from vlkd_seg.utils.errors import ConfigError, MissingFileError, SetupError
from vlkd_seg.utils.launch import build_text_model
from ..refiners import LabelBatch
from ..teachers import exclude_teacher_from_checkpoints


@MODELS.register_module()
class SegmentorLabeller(BaseModule):
    """Pseudo-labels from another trained segmentor, kept frozen.

    The way an ordinary mmseg student learns what a slower zero-shot model
    knows: e.g. an inductive ZegCLIP, trained without a pixel of the unseen
    classes, labels the student's unlabeled pixels (MaskCLIP+'s path with a
    trained teacher). The segmentor is the model of ``config`` (a recipe,
    as mmseg's ``init_model`` takes it) with the weights of ``checkpoint``,
    loaded strictly by :meth:`init_weights` (the runner calls it before
    training; a model built only to predict never reads the file). It
    segments the distiller's vocabulary (:meth:`setup`) on the images in
    0-255 RGB normalised by its own data preprocessor; the pseudo-label is
    the argmax of its scores over the candidates. ``confidence_thresh``
    reads the softmax of those scores: keep it at 0 for ZegCLIP, whose
    scores are sigmoids.

    Args:
        config (str): The trained segmentor's recipe (e.g. the one its
            work dir keeps).
        checkpoint (str): Its weights (``tools/train.py``'s ``iter_N.pth``).
        start (int): First iteration whose labels come from here.
    """
    needs_teacher = False
    needs_keys = False
    self_training = False

    def __init__(self, config: str, checkpoint: str, start: int = 0):
        super().__init__()
        for key, value in dict(config=config, checkpoint=checkpoint).items():
            if not isinstance(value, str) or not value:
                raise ConfigError(f'SegmentorLabeller {key} must be a file '
                                  f'path, got {value!r}')
        self.config, self.checkpoint, self.start = config, checkpoint, start
        self.segmentor = build_text_model(
            load_config(config).model, f'SegmentorLabeller config {config}')
        self.segmentor.requires_grad_(False).eval()
        exclude_teacher_from_checkpoints(self, 'segmentor')

    def setup(self, student, teacher) -> None:
        """Name the distiller's vocabulary (the student's names)."""
        self.segmentor.set_vocabulary(student.vocabulary.names)

    def init_weights(self) -> None:
        """Load the trained weights, every key accounted for."""
        if not osp.isfile(osp.expanduser(self.checkpoint)):
            raise MissingFileError(
                f'SegmentorLabeller checkpoint {self.checkpoint} does not '
                f'exist: train its segmentor first (python tools/train.py '
                f'{self.config}) or point checkpoint at its iter_N.pth')
        load_trained_weights(self.segmentor, self.checkpoint)
        self._is_init = True

    def observe(self, student) -> None:
        """A training step of the student (nothing to follow here)."""

    @torch.no_grad()
    def forward(self, batch: LabelBatch) -> Tensor:
        """``(N, C, H, W)`` scores over ``batch.candidates``."""
        if not self._is_init:
            raise SetupError(
                'SegmentorLabeller labels with untrained weights: call '
                "model.init_weights() (mmengine's Runner does before "
                f'training) to load {self.checkpoint}')
        x = from_pixels(self.segmentor.data_preprocessor, batch.pixels)
        shape = tuple(x.shape[-2:])
        metas = [dict(img_shape=shape, pad_shape=shape, ori_shape=shape)]
        scores = self.segmentor.encode_decode(x, metas * len(x))
        return batch.restrict(scores[:, batch.candidates])

    def train(self, mode: bool = True) -> 'SegmentorLabeller':
        """The segmentor always predicts in eval mode."""
        super().train(mode)
        self.segmentor.eval()
        return self
