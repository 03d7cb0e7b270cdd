"""How a two-stage open-vocabulary model (ZSSeg, FreeSeg) turns scored mask
proposals into a semantic segmentation."""
import torch
from torch import Tensor

from vlkd_seg.utils.errors import number_in_range


def geometric_ensemble(p_query: Tensor, p_clip: Tensor, seen: Tensor,
                       weight: float) -> Tensor:
    """FreeSeg's ensemble of the proposals' two class distributions.

    ``p_query ** w * p_clip ** (1 - w)`` for the classes trained on and
    ``p_query ** (1 - w) * p_clip ** w`` for the others: the trained
    classifier decides the seen classes, CLIP the unseen ones.

    Args:
        p_query (Tensor): ``(N, Q, K)`` the mask classifier's probabilities
            (no-object left out).
        p_clip (Tensor): ``(N, Q, K)`` the region classifier's.
        seen (Tensor): ``(K,)`` bool, the classes trained on.
        weight (float): ``w`` in [0, 1] (release: 0.8).

    Returns:
        Tensor: ``(N, Q, K)`` ensembled scores (not renormalised, as the
        release).
    """
    w = number_in_range(weight, 'ensemble weight', 0, 1)
    seen_scores = p_query.pow(w) * p_clip.pow(1 - w)
    unseen_scores = p_query.pow(1 - w) * p_clip.pow(w)
    return torch.where(seen.to(p_query.device), seen_scores, unseen_scores)


def semantic_scores(class_scores: Tensor, mask_logits: Tensor) -> Tensor:
    """``(N, K, H, W)`` per-pixel class scores: the proposals' class scores
    ``(N, Q, K)`` summed with their mask probabilities ``(N, Q, H, W)``
    as weights (Mask2Former's semantic inference)."""
    return torch.einsum('nqk,nqhw->nkhw', class_scores, mask_logits.sigmoid())
