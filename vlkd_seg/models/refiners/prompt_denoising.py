from mmseg.registry import MODELS
from torch import Tensor

from vlkd_seg.utils.errors import number_in_range
from .label_batch import LabelBatch


@MODELS.register_module()
class PromptDenoising:
    """MaskCLIP's prompt denoising as a refiner: drop the classes no
    location of an image is sure of.

    A class whose top probability over the image is below ``thresh`` gets
    probability 0 everywhere and the rest are renormalised; when every
    class is dropped, the image takes the uniform distribution (MaskCLIP's
    release sets such classes' cosines to -100, so a softmax of 100 times
    them gives the same).

    Args:
        thresh (float): Confidence threshold in [0, 1] (MaskCLIP: 0.5).
    """
    needs_pixels = False
    needs_keys = False

    def __init__(self, thresh: float = 0.5):
        self.settings = dict(
            thresh=number_in_range(thresh, 'PromptDenoising thresh', 0, 1))

    def refine(self, probs: Tensor, batch: LabelBatch) -> Tensor:
        """``(N, C, h, w)`` class probabilities, denoised."""
        return prompt_denoising(probs, self.settings['thresh'])


def prompt_denoising(probs: Tensor, thresh: float) -> Tensor:
    """Zero the classes whose peak over an image is below ``thresh``.

    Args:
        probs (Tensor): ``(N, C, h, w)`` class probabilities.
        thresh (float): Confidence threshold.

    Returns:
        Tensor: ``(N, C, h, w)`` renormalised over the kept classes;
        uniform where no class is kept.
    """
    keep = probs.amax(dim=(2, 3), keepdim=True) >= thresh
    kept = probs * keep
    total = kept.sum(dim=1, keepdim=True)
    uniform = probs.new_full((), 1 / probs.shape[1])
    return kept.div(total.clamp_min(1e-30)).where(total > 0, uniform)
