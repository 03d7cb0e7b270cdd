import torch.nn.functional as F
from mmseg.registry import MODELS
from torch import Tensor, nn


def teacher_on_student_grid(teacher: Tensor, embeddings: Tensor) -> Tensor:
    """Teacher dense features ``(N, D, h', w')`` resized (bilinear) to the
    student's pixel embeddings ``(N, D, h, w)``."""
    return F.interpolate(
        teacher.to(embeddings),
        size=embeddings.shape[-2:],
        mode='bilinear',
        align_corners=False)


@MODELS.register_module()
class PixelDistillLoss(nn.Module):
    """L1 between the student's unit pixel embeddings and the teacher's
    unit dense features (MaskCLIP+'s optional feature distillation).

    Args:
        loss_weight (float): Multiplier of the loss.
    """

    def __init__(self, loss_weight: float = 1.0):
        super().__init__()
        self.loss_weight = loss_weight

    def forward(self, embeddings: Tensor, teacher: Tensor,
                text: Tensor) -> dict:
        """``loss_pixel_distill``.

        Args:
            embeddings (Tensor): ``(N, D, h, w)`` unit student embeddings.
            teacher (Tensor): ``(N, D, h', w')`` teacher dense features.
            text (Tensor): ``(K, D)`` class texts (unused).
        """
        target = F.normalize(
            teacher_on_student_grid(teacher, embeddings), dim=1)
        return dict(loss_pixel_distill=self.loss_weight *
                    (embeddings - target).abs().mean())
