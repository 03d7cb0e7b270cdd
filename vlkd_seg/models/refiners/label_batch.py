"""What a pseudo-labeller may read of a training batch."""
from typing import List, NamedTuple, Optional, Tuple

from torch import Tensor, nn


class LabelBatch(NamedTuple):
    """A training batch as the distiller hands it to a pseudo-labeller and
    its refiners: every input is an argument, nothing is kept. A
    ``MaskCLIPSegmentor`` hands its refiners one too, without pixels,
    student or outputs (None).

    Attributes:
        inputs (Tensor): ``(N, 3, H, W)`` the student's preprocessed inputs.
        pixels (Tensor): ``(N, 3, H, W)`` the same images in 0-255 RGB.
        student (nn.Module): The ``TextEncoderDecoder`` student.
        outputs (HeadOutputs): The student's training forward.
        teacher (nn.Module): The frozen ``CLIPTeacher``.
        teacher_view (Tensor): ``(N, 3, H', W')`` the images as the teacher
            sees them (CLIP-normalised, resized or padded).
        teacher_features (tuple, optional): The teacher's dense features
            ``(N, D, h, w)`` and keys (or None) of ``teacher_view``; None
            when no part of this step needs the teacher.
        text (Tensor): ``(K, D)`` the vocabulary's texts.
        candidates (list[int]): The classes a pseudo-label may take (C).
        allowed (Tensor, optional): ``(N, C)`` bool: per image, the
            candidates it may take (its tags and background); None: all.
        background_idx (int, optional): The vocabulary's background class.
    """
    inputs: Tensor
    pixels: Tensor
    student: nn.Module
    outputs: tuple
    teacher: nn.Module
    teacher_view: Tensor
    teacher_features: Optional[Tuple[Tensor, Optional[Tensor]]]
    text: Tensor
    candidates: List[int]
    allowed: Optional[Tensor]
    background_idx: Optional[int]

    def restrict(self, logits: Tensor) -> Tensor:
        """``(N, C, h, w)`` logits with the candidates an image may not take
        at -1e4 (a finite floor: interpolating -inf gives NaN)."""
        if self.allowed is None:
            return logits
        outside = ~self.allowed.to(logits.device)[..., None, None]
        return logits.masked_fill(outside, -1e4)
