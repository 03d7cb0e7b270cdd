import torch
import torch.nn.functional as F
from mmseg.registry import MODELS
from torch import Tensor

from vlkd_seg.utils.errors import ConfigError, number_in_range
from ..teachers.dense import release_keys
from .label_batch import LabelBatch


@MODELS.register_module()
class KeySmoothing:
    """MaskCLIP's key smoothing as a refiner.

    Locations whose top class probability is below ``thresh`` take
    ``sum_j (k_i . k_j) p_j``: the probabilities of every location weighted
    by the cosine of the teacher's last-block keys there (MaskCLIP; its
    release normalises the keys over locations instead of channels, which
    we take for a slip). Works on the teacher's grid.

    Args:
        thresh (float): Confidence threshold; 1 (MaskCLIP+'s ``ks``
            variants) smooths every location but those sure of one class,
            above 1 every location.
        project_keys (bool): Pass a ViT teacher's keys through its last
            attention's output projection first, as the MaskCLIP release
            does (``out_proj(W_k x + b_k)``); a ResNet teacher's keys stay
            as they are (the release's too).
    """
    needs_pixels = False
    needs_keys = True

    def __init__(self, thresh: float = 1.0, project_keys: bool = False):
        if not isinstance(project_keys, bool):
            raise ConfigError('KeySmoothing project_keys must be True or '
                              f'False, got {project_keys!r}')
        self.settings = dict(
            thresh=number_in_range(thresh, 'KeySmoothing thresh', 0),
            project_keys=project_keys)

    def refine(self, probs: Tensor, batch: LabelBatch) -> Tensor:
        """``(N, C, h, w)`` probabilities on the teacher's grid, smoothed."""
        keys = batch.teacher_features[1]
        if self.settings['project_keys']:
            keys = release_keys(batch.teacher.clip.visual, keys)
        return key_smoothing(probs, keys.to(probs), self.settings['thresh'])


def key_smoothing(probs: Tensor, keys: Tensor, thresh: float) -> Tensor:
    """Smooth low-confidence locations by the affinity of their keys.

    Args:
        probs (Tensor): ``(N, C, h, w)`` class probabilities.
        keys (Tensor): ``(N, D, h, w)`` keys of the same locations.
        thresh (float): Locations whose top probability is below it are
            smoothed.
    """
    n, c, h, w = probs.shape
    keys = F.normalize(keys.flatten(2), dim=1)
    weight = keys.transpose(1, 2) @ keys
    flat = probs.flatten(2)
    smoothed = flat @ weight.transpose(1, 2)
    conf = flat.amax(dim=1, keepdim=True)
    return torch.where(conf < thresh, smoothed, flat).reshape(n, c, h, w)
