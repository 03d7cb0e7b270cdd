from typing import Optional, Tuple

from mmseg.registry import MODELS
from torch import Tensor, nn

from vlkd_seg.utils.errors import ConfigError, SetupError
from . import vl_losses as losses

#: each image-level loss: the key of its value in a model's losses, and the
#: arguments it takes, in order (optional ones end in '?')
LOSS_ARGS = dict(
    clip_classification_loss=('cls', ('student', 'text', 'labels')),
    feature_mse_loss=('mse', ('student', 'teacher')),
    image_contrastive_loss=('im_cst', ('student', 'teacher')),
    vl_proximal_loss=('vlprox', ('student', 'teacher', 'text', 'labels?')))


@MODELS.register_module()
class ImageDistillLoss(nn.Module):
    """Registered wrapper of one image-level distillation loss.

    Args:
        loss (str): One of ``clip_classification_loss``,
            ``feature_mse_loss``, ``image_contrastive_loss``,
            ``vl_proximal_loss`` (:mod:`vlkd_seg.models.losses.vl_losses`).
        loss_weight (float): Multiplier of the loss.
        **kwargs: Fixed keyword arguments of the loss (``temperature``,
            ``k``).
    """

    def __init__(self, loss: str, loss_weight: float = 1.0, **kwargs):
        super().__init__()
        if loss not in LOSS_ARGS:
            raise ConfigError(f'unknown image distillation loss {loss!r}; '
                              f'use one of {tuple(LOSS_ARGS)}')
        self.loss_name = loss
        self.loss_weight = loss_weight
        self.kwargs = kwargs

    @property
    def key(self) -> str:
        """Short name of the loss (``'mse'``, ``'vlprox'``, ...)."""
        return LOSS_ARGS[self.loss_name][0]

    @property
    def required(self) -> Tuple[str, ...]:
        """The arguments the loss cannot do without."""
        return tuple(a for a in LOSS_ARGS[self.loss_name][1] if a[-1] != '?')

    def forward(self, *args: Tensor, **kwargs) -> Tensor:
        """``loss_weight * loss(*args, **kwargs)``; see the loss function
        for the arguments (features ``(B, D)``, text ``(K, D)``, labels
        ``(B,)``)."""
        fn = getattr(losses, self.loss_name)
        return self.loss_weight * fn(*args, **{**self.kwargs, **kwargs})

    def from_inputs(self,
                    student: Tensor,
                    teacher: Optional[Tensor] = None,
                    text: Optional[Tensor] = None,
                    labels: Optional[Tensor] = None) -> Tensor:
        """The loss on those of the given inputs that it takes.

        Args:
            student (Tensor): ``(B, D)`` student features.
            teacher (Tensor, optional): ``(B, D)`` teacher features.
            text (Tensor, optional): ``(K, D)`` class texts.
            labels (Tensor, optional): ``(B,)`` class indices.
        """
        given = dict(
            student=student, teacher=teacher, text=text, labels=labels)
        missing = [a for a in self.required if given[a] is None]
        if missing:
            raise SetupError(f'{self.loss_name} needs {missing}, which this '
                             'model does not have')
        return self(*(given[a.rstrip('?')]
                      for a in LOSS_ARGS[self.loss_name][1]))

    def extra_repr(self) -> str:
        return f'{self.loss_name}, loss_weight={self.loss_weight}'
