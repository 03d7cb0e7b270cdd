from typing import Sequence, Union

import numpy as np
import torch
from mmcv.transforms import BaseTransform
from mmseg.registry import TRANSFORMS

from vlkd_seg.utils.errors import ConfigError, SetupError
from vlkd_seg.utils.recipe_keys import require_recipe_key

#: Label of pixels whose class is hidden from training ("unlabeled"); kept
#: distinct from the ignore index 255 so a distiller can pseudo-label them.
UNLABELED_INDEX = 254


def check_no_unseen(seg_map: Union[np.ndarray, torch.Tensor],
                    unseen_idx: Sequence[int],
                    where: str = 'training target') -> None:
    """Raise if any unseen class label is present in ``seg_map``."""
    seg = torch.as_tensor(seg_map)
    unseen = torch.as_tensor(
        list(unseen_idx), dtype=seg.dtype, device=seg.device)
    hit = torch.isin(seg, unseen)
    if hit.any():
        leaked = seg[hit].unique().cpu()
        raise SetupError(
            f'unseen classes {leaked.tolist()} leaked into a {where}: put '
            'ZeroShotLabels after every transform that loads or remaps '
            'labels, and keep full labels for validation only.')


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


@TRANSFORMS.register_module()
class ZeroShotLabels(BaseTransform):
    """Hide unseen classes from a training target.

    Pixels of the unseen classes become ``unlabeled_index`` (254 by
    default, distinct from the ignore index 255): a transductive distiller
    pseudo-labels them, an inductive run can map them to 255 and ignore
    them. ``unseen_idx='all'`` gives the annotation-free setting: every
    labelled pixel becomes unlabeled. Use it in training pipelines only,
    after ``LoadAnnotations``.

    Required keys: ``gt_seg_map``. Modified keys: ``gt_seg_map``.

    Args:
        unseen_idx (Sequence[int] | str): Unseen class indices, or
            ``'all'``; by default the recipe's top-level ``unseen_idx``
            (``vlkd_seg.utils.recipe_keys``).
        unlabeled_index (int): Value written to hidden pixels.
        ignore_index (int): Label that stays as it is.
    """

    def __init__(self,
                 unseen_idx: Union[Sequence[int], str, None] = None,
                 unlabeled_index: int = UNLABELED_INDEX,
                 ignore_index: int = 255):
        unseen_idx = require_recipe_key(unseen_idx, 'unseen_idx',
                                        'ZeroShotLabels')
        if isinstance(unseen_idx, str) and unseen_idx != 'all':
            raise ConfigError(f"unseen_idx must be indices or 'all', got "
                              f'{unseen_idx!r}')
        self.unseen_idx = unseen_idx
        self.unlabeled_index = unlabeled_index
        self.ignore_index = ignore_index

    def transform(self, results: dict) -> dict:
        seg = results['gt_seg_map']
        if isinstance(self.unseen_idx, str):
            hidden = seg != self.ignore_index
        else:
            hidden = np.isin(seg, self.unseen_idx)
        seg = seg.copy()
        seg[hidden] = self.unlabeled_index
        results['gt_seg_map'] = seg
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(unseen_idx={self.unseen_idx}, '
                f'unlabeled_index={self.unlabeled_index})')
