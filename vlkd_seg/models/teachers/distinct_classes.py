"""Warn about vocabularies whose classes the teacher cannot tell apart."""
import warnings
from typing import List, Sequence, Tuple

import torch
import torch.nn.functional as F

#: Cosine above which two class texts count as one for the teacher.
INDISTINCT_COSINE = 0.9


def indistinct_pairs(
        names: Sequence[str],
        text: torch.Tensor,
        thresh: float = INDISTINCT_COSINE) -> List[Tuple[str, str, float]]:
    """Pairs of classes whose text embeddings are nearly parallel.

    Args:
        names (Sequence[str]): Class names, in the rows' order.
        text (Tensor): ``(K, D)`` text embeddings.
        thresh (float): Cosine from which a pair is reported.

    Returns:
        list[tuple]: ``(name_a, name_b, cosine)``, most parallel first.
    """
    unit = F.normalize(text.detach().float(), dim=-1)
    cos = unit @ unit.T
    rows, cols = torch.triu_indices(len(names), len(names), offset=1)
    close = cos[rows, cols] >= thresh
    pairs = [(names[int(i)], names[int(j)], float(cos[i, j]))
             for i, j in zip(rows[close], cols[close])]
    return sorted(pairs, key=lambda p: -p[2])


def warn_indistinct_classes(names: Sequence[str], text: torch.Tensor) -> None:
    """Warn once, naming the pairs, if the teacher's texts of two classes
    are nearly parallel: a student classifying against them cannot learn
    one of the two (a seen class 0.94-parallel to "background" ended at 0
    IoU with full labels), so say which and how to fix it."""
    pairs = indistinct_pairs(names, text)
    if not pairs:
        return
    listed = ', '.join(f'{a!r} ~ {b!r} (cosine {c:.2f})'
                       for a, b, c in pairs[:5])
    warnings.warn(
        f'the teacher can hardly tell apart {listed}: the student cannot '
        'learn both from these texts. Give one a more telling name, or '
        'learn its embedding (the student classifier\'s background_idx, e.g. '
        'for "background").',
        stacklevel=3)
