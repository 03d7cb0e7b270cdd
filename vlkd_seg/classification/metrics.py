"""Space-alignment metrics between student and teacher (Li et al., 2023).

Functions over whole sets, chunked so 50k items fit in a few GB; inputs are
L2-normalised first. Shapes: ``student``/``teacher`` ``(N, D)``, ``text``
``(K, D)``.
"""
import torch
import torch.nn.functional as F
from torch import Tensor

from vlkd_seg.utils.errors import ConfigError
from .losses import check_pair, check_text


def _unit(*tensors):
    return [F.normalize(t.float(), dim=-1) for t in tensors]


def relative_match_rate(student: Tensor,
                        teacher: Tensor,
                        chunk: int = 4096) -> float:
    """M_rel: share of items whose nearest teacher feature (L2, over all
    items) is their own."""
    check_pair(student, teacher)
    s, t = _unit(student, teacher)
    hits = 0
    for start in range(0, len(s), chunk):
        nearest = (s[start:start + chunk] @ t.T).argmax(-1)
        hits += (nearest == torch.arange(
            start, start + len(nearest), device=s.device)).sum().item()
    return hits / len(s)


def _knn(x: Tensor, start: int, chunk: int, k: int) -> Tensor:
    """Indices ``(c, k)`` of the k nearest items of rows start.. (no self)."""
    sims = x[start:start + chunk] @ x.T
    rows = torch.arange(len(sims), device=x.device)
    sims[rows, rows + start] = float('-inf')
    return sims.topk(k, dim=-1).indices


def neighbour_overlap(student: Tensor,
                      teacher: Tensor,
                      k: int,
                      chunk: int = 4096) -> float:
    """M_neigh: mean |kNN_S(i) ∩ kNN_T(i)| / k, self excluded."""
    check_pair(student, teacher)
    if not 0 < k < len(student):
        raise ConfigError(f'k={k} must be in [1, {len(student) - 1}] (items '
                          'minus one)')
    s, t = _unit(student, teacher)
    total = 0.
    for start in range(0, len(s), chunk):
        ns, nt = _knn(s, start, chunk, k), _knn(t, start, chunk, k)
        total += (ns[:, :, None] == nt[:, None, :]).any(-1).sum().item()
    return total / (len(s) * k)


def vl_alignment_reversals(student: Tensor,
                           teacher: Tensor,
                           text: Tensor,
                           k: int,
                           chunk: int = 4096) -> float:
    """M_vlalign: mean number of inverted pairs of ``||S(x_i) - t_j||``
    over the teacher's k nearest texts, taken in the teacher's order
    (0 = same order, k(k-1)/2 = reversed)."""
    check_pair(student, teacher)
    check_text(student, text)
    s, t, txt = _unit(student, teacher, text)
    return text_order_reversals(s @ txt.T, t @ txt.T, k, chunk)


def text_order_reversals(student_sims: Tensor,
                         teacher_sims: Tensor,
                         k: int,
                         chunk: int = 4096) -> float:
    """M_vlalign from cosine similarities to the texts, ``(N, K)`` each.

    On unit vectors ``||x - t||^2 = 2 - 2 cos(x, t)``, so the order of the
    distances is the reverse order of the similarities: this is
    :func:`vl_alignment_reversals` for callers that keep similarities.
    """
    if student_sims.shape != teacher_sims.shape or student_sims.dim() != 2:
        raise ConfigError(f'similarities {tuple(student_sims.shape)} and '
                          f'{tuple(teacher_sims.shape)} must both be (N, K)')
    if not 0 < k <= student_sims.shape[1]:
        raise ConfigError(f'k={k} must be in [1, {student_sims.shape[1]}] '
                          '(the number of texts)')
    upper = torch.triu(
        torch.ones(k, k, dtype=torch.bool, device=student_sims.device), 1)
    total = 0.
    for start in range(0, len(student_sims), chunk):
        order = teacher_sims[start:start + chunk].topk(k, dim=-1).indices
        sims = student_sims[start:start + chunk].gather(1, order)
        inverted = sims[:, :, None] < sims[:, None, :]
        total += (inverted & upper).sum().item()
    return total / len(student_sims)
