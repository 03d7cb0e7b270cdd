import copy

import torch
from mmseg.registry import MODELS
from torch import Tensor, nn

from vlkd_seg.utils.errors import ConfigError
from ..refiners import LabelBatch


@MODELS.register_module()
class StudentLabeller(nn.Module):
    """Self-training: pseudo-labels from the student's own predictions.

    With ``ema=0`` they come from the student's training forward without
    its dropout (MaskCLIP+'s release); with ``ema > 0`` from an exponential
    moving average of the student in eval mode (a mean teacher: on the
    embedded world it keeps a class from vanishing once the student trains
    on its own errors; README, "Self-training"), updated at every training
    step from the first labeller's start on, the first time as a copy.

    Args:
        start (int): First iteration whose labels come from here.
        ema (float): Decay of the moving average in ``[0, 1)``; 0 = none.
    """
    needs_teacher = False
    self_training = True

    def __init__(self, start: int, ema: float = 0.):
        super().__init__()
        if not 0 <= ema < 1:
            raise ConfigError(f'StudentLabeller ema must lie in [0, 1), got '
                              f'{ema}')
        self.start = start
        self.ema = ema
        self.averaged = None
        self.register_buffer('updates', torch.zeros((), dtype=torch.long))

    def setup(self, student: nn.Module, teacher: nn.Module) -> None:
        """Make the averaged copy of ``student`` (``ema > 0``); it borrows
        the student's texts (its own vocabulary stays empty)."""
        if self.ema:
            self.averaged = copy.deepcopy(student).requires_grad_(False)
            self.averaged.vocabulary.clear()

    @torch.no_grad()
    def observe(self, student: nn.Module) -> None:
        """One training step of ``student``: move the average towards it."""
        if self.averaged is None:
            return
        decay = self.ema if int(self.updates) else 0.
        current = student.state_dict()
        for name, value in self.averaged.state_dict().items():
            if value.is_floating_point():
                value.mul_(decay).add_(current[name], alpha=1 - decay)
            else:
                value.copy_(current[name])
        self.updates += 1

    @torch.no_grad()
    def forward(self, batch: LabelBatch) -> Tensor:
        """``(N, C, h, w)`` logits over ``batch.candidates``."""
        if self.averaged is not None:
            logits = self.averaged.decode(
                self.averaged.extract_feat(batch.inputs), batch.text)
        elif batch.outputs.features is not None:  # dropout-free head
            logits = batch.student.classify_features(batch.outputs.features,
                                                     batch.text)
        else:
            logits = batch.outputs.logits
        return batch.restrict(logits.detach()[:, batch.candidates])

    def train(self, mode: bool = True) -> 'StudentLabeller':
        """The averaged student always predicts in eval mode."""
        super().train(mode)
        if self.averaged is not None:
            self.averaged.eval()
        return self
