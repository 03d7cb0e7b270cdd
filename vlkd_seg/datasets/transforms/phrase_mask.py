import mmcv
import numpy as np
from mmcv.transforms import BaseTransform
from mmengine.fileio import get
from mmseg.registry import TRANSFORMS

from vlkd_seg.utils.errors import SetupError

#: PackSegInputs meta keys that carry a sample's phrase to the model
PHRASE_META_KEYS = ('img_path', 'seg_map_path', 'ori_shape', 'img_shape',
                    'pad_shape', 'scale_factor', 'flip', 'flip_direction',
                    'reduce_zero_label', 'phrase')


@TRANSFORMS.register_module()
class LoadPhraseMask(BaseTransform):
    """Load a phrase's mask (``PhraseMaskDataset``) as labels 0 / 1: the
    file's non-zero pixels (or those of its sample's ``mask_values``) are
    1; a negative sample (no mask) is all 0.

    Put it where ``LoadAnnotations`` would stand (after
    ``LoadImageFromFile``); the mask must have the image's original size.

    Required keys: ``seg_map_path`` (None for a negative), ``ori_shape``,
    ``mask_values`` (optional).
    Added keys: ``gt_seg_map``, ``seg_fields``.
    """

    def transform(self, results: dict) -> dict:
        shape = tuple(results['ori_shape'][:2])
        path = results.get('seg_map_path')
        if path is None:
            mask = np.zeros(shape, np.uint8)
        else:
            mask = mmcv.imfrombytes(
                get(path), flag='unchanged', backend='pillow')
            mask = mask.reshape(*mask.shape[:2], -1)
            values = results.get('mask_values')
            mask = (mask > 0
                    if values is None else np.isin(mask, values)).any(-1)
            if mask.shape != shape:
                raise SetupError(
                    f'mask {path} is {mask.shape[1]}x{mask.shape[0]} pixels, '
                    f'its image {results.get("img_path")} {shape[1]}x'
                    f'{shape[0]}: a phrase mask has its image\'s size')
        results['gt_seg_map'] = mask.astype(np.uint8)
        results.setdefault('seg_fields', []).append('gt_seg_map')
        return results
