from mmseg.registry import MODELS
from torch import Tensor, nn

from vlkd_seg.utils.errors import ConfigError
from . import losses

_LOSSES = ('clip_classification_loss', 'feature_mse_loss',
           'image_contrastive_loss', 'vl_proximal_loss')


@MODELS.register_module()
class ImageDistillLoss(nn.Module):
    """Registered wrapper of one image-level distillation loss.

    Args:
        loss (str): One of ``clip_classification_loss``,
            ``feature_mse_loss``, ``image_contrastive_loss``,
            ``vl_proximal_loss`` (:mod:`vlkd_seg.classification.losses`).
        loss_weight (float): Multiplier of the loss.
        **kwargs: Fixed keyword arguments of the loss (``temperature``,
            ``k``).
    """

    def __init__(self, loss: str, loss_weight: float = 1.0, **kwargs):
        super().__init__()
        if loss not in _LOSSES:
            raise ConfigError(f'unknown image distillation loss {loss!r}; '
                              f'use one of {_LOSSES}')
        self.loss_name = loss
        self.loss_weight = loss_weight
        self.kwargs = kwargs

    def forward(self, *args: Tensor, **kwargs) -> Tensor:
        """``loss_weight * loss(*args, **kwargs)``; see the loss function
        for the arguments (features ``(B, D)``, text ``(K, D)``, labels
        ``(B,)``)."""
        fn = getattr(losses, self.loss_name)
        return self.loss_weight * fn(*args, **{**self.kwargs, **kwargs})

    def extra_repr(self) -> str:
        return f'{self.loss_name}, loss_weight={self.loss_weight}'
