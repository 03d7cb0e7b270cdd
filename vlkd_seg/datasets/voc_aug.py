import os.path as osp
from typing import List, Sequence

from mmseg.datasets import PascalVOCDataset
from mmseg.registry import DATASETS


@DATASETS.register_module()
class PascalVOCAugDataset(PascalVOCDataset):
    """Pascal VOC 2012 (21 classes, background first) over several split
    files.

    ``extra_ann_files`` adds the images of more split files to
    ``ann_file``'s, each image once: VOC's ``train.txt`` (1,464) with SBD's
    ``aug.txt`` (9,118) is the 10,582-image "train + aug" set of weakly
    supervised segmentation (CLIP-ES) and of ZS3Net, SPNet and MaskCLIP+.

    Args:
        extra_ann_files (Sequence[str]): More split files, relative to
            ``data_root`` like ``ann_file``.
        **kwargs: :class:`mmseg.datasets.PascalVOCDataset` arguments.
    """

    def __init__(self, extra_ann_files: Sequence[str] = (), **kwargs) -> None:
        root = kwargs.get('data_root') or ''
        self.extra_ann_files = [
            f if osp.isabs(f) else osp.join(root, f) for f in extra_ann_files
        ]
        super().__init__(**kwargs)

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
