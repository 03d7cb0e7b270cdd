import os.path as osp
from typing import List, Sequence

from mmseg.datasets import PascalVOCDataset
from mmseg.registry import DATASETS


@DATASETS.register_module()
class PascalVOC20Dataset(PascalVOCDataset):
    """Pascal VOC 2012 without the background class (20 classes).

    The zero-shot segmentation benchmark setting: label 0 (background)
    becomes the ignore index and classes 1..20 become 0..19
    (``reduce_zero_label=True``). ``extra_ann_files`` adds the images of
    more split files to ``ann_file``'s, each image once: VOC's ``train.txt``
    (1,464) with SBD's ``aug.txt`` (9,118) is the 10,582-image "train +
    aug" set of ZS3Net, SPNet and MaskCLIP+.

    Args:
        extra_ann_files (Sequence[str]): More split files, relative to
            ``data_root`` like ``ann_file``.
        reduce_zero_label (bool): Drop VOC's background. Defaults to True.
        **kwargs: :class:`mmseg.datasets.PascalVOCDataset` arguments.
    """
    METAINFO = dict(
        classes=PascalVOCDataset.METAINFO['classes'][1:],
        palette=PascalVOCDataset.METAINFO['palette'][1:])

    def __init__(self,
                 extra_ann_files: Sequence[str] = (),
                 reduce_zero_label: bool = True,
                 **kwargs) -> None:
        root = kwargs.get('data_root') or ''
        self.extra_ann_files = [
            f if osp.isabs(f) else osp.join(root, f) for f in extra_ann_files
        ]
        super().__init__(reduce_zero_label=reduce_zero_label, **kwargs)

    def load_data_list(self) -> List[dict]:
        """Samples of ``ann_file`` then of each extra file, each image
        once."""
        main, samples, seen = self.ann_file, [], set()
        try:
            for ann_file in [main, *self.extra_ann_files]:
                self.ann_file = ann_file
                for sample in super().load_data_list():
                    if sample['img_path'] not in seen:
                        seen.add(sample['img_path'])
                        samples.append(sample)
        finally:
            self.ann_file = main
        return samples
