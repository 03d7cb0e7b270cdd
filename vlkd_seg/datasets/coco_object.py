from typing import List

import numpy as np
from mmengine.fileio import list_from_file
from mmseg.datasets import BaseSegDataset
from mmseg.registry import DATASETS

from vlkd_seg.utils.vocabulary import load_class_names


def _palette(num: int) -> List[List[int]]:
    rng = np.random.default_rng(81)
    return [[0, 0, 0]] + rng.integers(0, 256, (num - 1, 3)).tolist()


@DATASETS.register_module()
class COCOObjectDataset(BaseSegDataset):
    """MS COCO 2014 object segmentation: background and the 80 thing
    classes (81; the weakly supervised benchmark of CLIP-ES and others).

    Label maps hold 0 for background and ``i`` for the ``i``-th thing class
    in COCO's order (``vlkd_seg/utils/class_names/coco_object81.txt``).
    The split file lists one image name per line; anything after the name
    (CLIP-ES's ``coco14/train.txt`` appends the image's class ids) is
    skipped.

    Args:
        **kwargs: :class:`mmseg.datasets.BaseSegDataset` arguments; by
            default ``.jpg`` images and ``.png`` label maps.
    """
    METAINFO = dict(
        classes=tuple(load_class_names('coco_object81')), palette=_palette(81))

    def __init__(self,
                 img_suffix: str = '.jpg',
                 seg_map_suffix: str = '.png',
                 **kwargs) -> None:
        super().__init__(
            img_suffix=img_suffix, seg_map_suffix=seg_map_suffix, **kwargs)

    def load_data_list(self) -> List[dict]:
        """Samples of ``ann_file`` (first word of each line), else every
        image of the image folder."""
        if not self.ann_file:
            return super().load_data_list()
        img_dir = self.data_prefix.get('img_path', '')
        seg_dir = self.data_prefix.get('seg_map_path', '')
        samples = []
        for line in list_from_file(self.ann_file, backend_args=None):
            if not line.strip():
                continue
            name = line.split()[0]
            samples.append(
                dict(
                    img_path=f'{img_dir}/{name}{self.img_suffix}',
                    seg_map_path=f'{seg_dir}/{name}{self.seg_map_suffix}',
                    label_map=self.label_map,
                    reduce_zero_label=self.reduce_zero_label,
                    seg_fields=[]))
        return samples
