from mmseg.datasets import PascalVOCDataset
from mmseg.registry import DATASETS

from .voc_aug import PascalVOCAugDataset


@DATASETS.register_module()
class PascalVOC20Dataset(PascalVOCAugDataset):
    """Pascal VOC 2012 without the background class (20 classes).

    The zero-shot segmentation benchmark setting: label 0 (background)
    becomes the ignore index and classes 1..20 become 0..19
    (``reduce_zero_label=True``); ``extra_ann_files`` as in
    :class:`PascalVOCAugDataset`.

    Args:
        reduce_zero_label (bool): Drop VOC's background. Defaults to True.
        **kwargs: :class:`PascalVOCAugDataset` arguments.
    """
    METAINFO = dict(
        classes=PascalVOCDataset.METAINFO['classes'][1:],
        palette=PascalVOCDataset.METAINFO['palette'][1:])

    def __init__(self, reduce_zero_label: bool = True, **kwargs) -> None:
        super().__init__(reduce_zero_label=reduce_zero_label, **kwargs)
