from mmseg.registry import MODELS
from torch import Tensor, nn

from vlkd_seg.utils.errors import ConfigError
from .image_distill_loss import ImageDistillLoss
from .pixel_distill_loss import teacher_on_student_grid


@MODELS.register_module()
class PooledDistillLoss(nn.Module):
    """An image-level distillation loss (Li et al.) on the student's pixel
    embeddings and the teacher's dense features, each averaged over the
    image.

    Args:
        loss (str): An :class:`ImageDistillLoss` that needs no labels
            (segmentation has none): ``feature_mse_loss``,
            ``image_contrastive_loss`` or ``vl_proximal_loss`` (over the
            vocabulary's texts, no sample dropped).
        loss_weight (float): Multiplier of the loss.
        **kwargs: Fixed arguments of the loss (``temperature``, ``k``).
    """

    def __init__(self, loss: str, loss_weight: float = 1.0, **kwargs):
        super().__init__()
        self.loss = ImageDistillLoss(loss, loss_weight, **kwargs)
        if 'labels' in self.loss.required:
            raise ConfigError(
                f'{loss} needs image labels, which segmentation lacks: use '
                'a loss that compares student and teacher features '
                '(feature_mse_loss, image_contrastive_loss, vl_proximal_loss)')

    def forward(self, embeddings: Tensor, teacher: Tensor,
                text: Tensor) -> dict:
        """``loss_image_distill``.

        Args:
            embeddings (Tensor): ``(N, D, h, w)`` unit student embeddings.
            teacher (Tensor): ``(N, D, h', w')`` teacher dense features.
            text (Tensor): ``(K, D)`` class texts.
        """
        target = teacher_on_student_grid(teacher, embeddings)
        return dict(
            loss_image_distill=self.loss.from_inputs(
                embeddings.mean((2, 3)), target.mean((2, 3)), text))
