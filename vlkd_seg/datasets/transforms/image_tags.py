import json
import os.path as osp
from typing import Dict, List, Optional

import numpy as np
from mmcv.transforms import BaseTransform
from mmseg.registry import TRANSFORMS

from vlkd_seg.utils.errors import ConfigError, MissingFileError
from .labels import UNLABELED_INDEX

#: PackSegInputs meta keys that carry the image tags to the model
TAG_META_KEYS = ('img_path', 'seg_map_path', 'ori_shape', 'img_shape',
                 'pad_shape', 'scale_factor', 'flip', 'flip_direction',
                 'reduce_zero_label', 'img_tags')


@TRANSFORMS.register_module()
class ImageTags(BaseTransform):
    """Image-level labels: keep only the set of classes an image contains.

    With a pixel mask (``LoadAnnotations`` before it, e.g. VOC-aug, COCO),
    ``img_tags`` becomes the sorted classes present in the mask and every
    labelled pixel becomes ``UNLABELED_INDEX``, so no pixel label reaches
    training. Without masks, ``tag_file`` gives the tags: a JSON object
    mapping an image's file name to its class indices, and the mask is all
    unlabeled. Put ``'img_tags'`` in ``PackSegInputs``'s ``meta_keys``
    (:data:`TAG_META_KEYS`) so the distiller can read them.

    Required keys: ``gt_seg_map`` (or ``tag_file`` and ``img_shape``).
    Added keys: ``img_tags``. Modified keys: ``gt_seg_map``.

    Args:
        tag_file (str, optional): JSON file of tags per image file name.
        ignore_index (int): Mask value that is no class.
        hide_pixels (bool): Make the mask unlabeled (training); False keeps
            it, e.g. to score pseudo-masks against it.
    """

    def __init__(self,
                 tag_file: Optional[str] = None,
                 ignore_index: int = 255,
                 hide_pixels: bool = True):
        self.tag_file = tag_file
        self.hide_pixels = hide_pixels
        self.ignore_index = ignore_index
        self.tags = _read_tags(tag_file) if tag_file else None

    def transform(self, results: dict) -> dict:
        if self.tags is not None:
            name = osp.basename(results['img_path'])
            if name not in self.tags:
                raise ConfigError(f'{self.tag_file} has no tags for {name}')
            tags = self.tags[name]
            shape = results['img_shape'][:2]
            seg = np.full(shape, UNLABELED_INDEX, dtype=np.uint8)
        else:
            seg = results['gt_seg_map']
            values = np.unique(seg)
            tags = [int(v) for v in values if v != self.ignore_index]
            if self.hide_pixels:
                seg = np.where(seg == self.ignore_index, seg,
                               UNLABELED_INDEX).astype(seg.dtype)
        results['img_tags'] = tags
        results['gt_seg_map'] = seg
        if 'gt_seg_map' not in results.setdefault('seg_fields', []):
            results['seg_fields'].append('gt_seg_map')
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(tag_file={self.tag_file!r})'


def _read_tags(path: str) -> Dict[str, List[int]]:
    if not osp.isfile(path):
        raise MissingFileError(f'image tag file {path} does not exist')
    with open(path, encoding='utf-8') as f:
        tags = json.load(f)
    if not isinstance(tags, dict) or not all(
            isinstance(v, list) and all(isinstance(i, int) for i in v)
            for v in tags.values()):
        raise ConfigError(f'{path} must map image file names to lists of '
                          'class indices, e.g. {"a.jpg": [0, 12]}')
    return {k: sorted(set(v)) for k, v in tags.items()}
