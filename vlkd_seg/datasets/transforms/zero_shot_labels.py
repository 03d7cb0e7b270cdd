from typing import Sequence, Union

import numpy as np
import torch
from mmcv.transforms import BaseTransform
from mmseg.registry import TRANSFORMS

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
        raise RuntimeError(
            f'unseen classes {leaked.tolist()} leaked into a {where}: put '
            'ZeroShotLabels after every transform that loads or remaps '
            'labels, and keep full labels for validation only.')


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
            ``'all'``.
        unlabeled_index (int): Value written to hidden pixels.
        ignore_index (int): Label that stays as it is.
    """

    def __init__(self,
                 unseen_idx: Union[Sequence[int], str],
                 unlabeled_index: int = UNLABELED_INDEX,
                 ignore_index: int = 255):
        if isinstance(unseen_idx, str) and unseen_idx != 'all':
            raise ValueError(f"unseen_idx must be indices or 'all', got "
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
        if not isinstance(self.unseen_idx, str):
            check_no_unseen(seg, self.unseen_idx)
        results['gt_seg_map'] = seg
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(unseen_idx={self.unseen_idx}, '
                f'unlabeled_index={self.unlabeled_index})')
