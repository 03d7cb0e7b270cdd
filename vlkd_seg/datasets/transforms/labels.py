"""Label values: the unlabeled index, and the check that labels fit the
classes."""
from typing import Sequence

import torch

from vlkd_seg.utils.errors import SetupError

#: Label of pixels whose class is hidden from training ("unlabeled": the
#: distiller hides a zero-shot split's classes, ``ImageTags`` every pixel);
#: kept distinct from the ignore index 255 so pseudo-labels can fill them.
UNLABELED_INDEX = 254


def check_label_range(
    seg_map: torch.Tensor,
    num_classes: int,
    allowed: Sequence[int] = (255, ),
    files: Sequence[str] = ()
) -> None:
    """Raise :class:`SetupError` if ``seg_map`` holds a label that is not a
    class index (``0 .. num_classes - 1``) nor one of ``allowed``.

    Args:
        seg_map (Tensor): Labels of any shape.
        num_classes (int): Number of classes.
        allowed (Sequence[int]): Other values that may appear (ignore index,
            unlabeled index).
        files (Sequence[str]): Annotation files of the batch, named in the
            error.
    """
    bad = (seg_map >= num_classes) & ~torch.isin(
        seg_map, seg_map.new_tensor(list(allowed)))
    if bad.any():
        values = seg_map[bad].unique().cpu().tolist()[:5]
        raise SetupError(
            f'label values {values} in {", ".join(map(str, files)) or "a "}'
            f'{"" if files else "batch"} do not fit the {num_classes} classes'
            f' (0-{num_classes - 1}) or {list(allowed)}: the annotations '
            'belong to another class list; check data_root, '
            'reduce_zero_label and the vocabulary.')
