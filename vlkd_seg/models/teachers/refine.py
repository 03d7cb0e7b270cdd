"""MaskCLIP's refinements of dense class scores (key smoothing, prompt
denoising), in the release's order."""
from typing import Optional

import torch
import torch.nn.functional as F
from torch import Tensor

from vlkd_seg.utils.errors import ConfigError


def refine_logits(cosines: Tensor,
                  keys: Optional[Tensor],
                  prompt_denoising_thresh: float = 0.,
                  key_smoothing_thresh: float = 0.) -> Tensor:
    """Cosines of dense features to texts, refined as MaskCLIP does.

    Without refinement the cosines come back as they are. With prompt
    denoising and / or key smoothing (MaskCLIP's order: denoising first,
    then smoothing, both on ``p = softmax(100 * cosine)``) the result is
    ``log(p) / 100`` of the refined probabilities, so on either path
    ``softmax(100 * logits)`` gives the class probabilities and the argmax
    the label.

    Args:
        cosines (Tensor): ``(N, K, h, w)``.
        keys (Tensor, optional): ``(N, C, h, w)`` keys of the last block;
            needed by key smoothing.
        prompt_denoising_thresh (float): 0 = off.
        key_smoothing_thresh (float): 0 = off.
    """
    if not (prompt_denoising_thresh or key_smoothing_thresh):
        return cosines
    logits = cosines
    if prompt_denoising_thresh > 0:
        logits = prompt_denoising(logits, prompt_denoising_thresh)
    probs = (100 * logits).softmax(dim=1)
    if key_smoothing_thresh > 0:
        if keys is None:
            raise ConfigError('key smoothing needs the keys of the '
                              'teacher\'s last block: pass '
                              'dense_features_and_keys(x)')
        probs = key_smoothing(probs, keys, key_smoothing_thresh)
    return probs.clamp_min(1e-30).log() / 100


def key_smoothing(probs: Tensor, keys: Tensor, thresh: float) -> Tensor:
    """MaskCLIP key smoothing of low-confidence locations.

    Locations whose top class probability is below ``thresh`` take
    ``sum_j (k_i . k_j) p_j``, the probabilities of every location weighted
    by the cosine of their keys (MaskCLIP; the release normalises the keys
    over locations instead of channels, which we take for a slip).

    Args:
        probs (Tensor): Class probabilities ``(N, K, h, w)``, e.g.
            ``softmax(100 * cosine)``.
        keys (Tensor): ``(N, C, h, w)``.
        thresh (float): Confidence threshold; 1 smooths every location.
    """
    n, k, h, w = probs.shape
    keys = F.normalize(keys.flatten(2), dim=1)
    weight = keys.transpose(1, 2) @ keys
    flat = probs.flatten(2)
    smoothed = flat @ weight.transpose(1, 2)
    conf = flat.amax(dim=1, keepdim=True)
    return torch.where(conf < thresh, smoothed, flat).reshape(n, k, h, w)


def prompt_denoising(logits: Tensor, thresh: float) -> Tensor:
    """MaskCLIP prompt denoising: drop classes no location is sure of.

    Classes whose max ``softmax(100 * logits)`` over the image is below
    ``thresh`` get logit -100 everywhere.

    Args:
        logits (Tensor): ``(N, K, h, w)``.
    """
    conf = (logits * 100).softmax(dim=1).amax(dim=(2, 3), keepdim=True)
    return torch.where(conf < thresh, torch.full_like(logits, -100.), logits)
