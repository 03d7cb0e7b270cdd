import copy
from typing import List, Optional, Sequence, Union

import numpy as np
from mmengine.logging import print_log
from mmseg.registry import DATASETS
from PIL import Image
from torch.utils.data import Dataset

from vlkd_seg.utils.errors import ConfigError, SetupError


@DATASETS.register_module()
class InductiveDataset(Dataset):
    """The images of a segmentation dataset with no pixel of an unseen
    class: the inductive zero-shot protocol (ZegCLIP, ZS3Net), where the
    model never sees an unseen class, not even unlabelled.

    Each label map is read once when the dataset initialises (with the
    wrapped dataset's ``reduce_zero_label`` and ``label_map``); the images
    that hold an unseen class are left out.

    Args:
        dataset (dict | Dataset): An mmseg dataset or its config.
        unseen_idx (Sequence[int], optional): The unseen classes; by
            default the dataset's ``metainfo['unseen_idx']``.
        lazy_init (bool): Read the label maps on first use.
    """

    def __init__(self,
                 dataset: Union[dict, Dataset],
                 unseen_idx: Optional[Sequence[int]] = None,
                 lazy_init: bool = False):
        self.dataset = DATASETS.build(dataset) if isinstance(dataset,
                                                             dict) else dataset
        unseen = self.dataset.metainfo.get(
            'unseen_idx') if unseen_idx is None else unseen_idx
        if isinstance(unseen, str) or not unseen:
            raise ConfigError(
                'InductiveDataset needs the unseen classes: give unseen_idx '
                "or the dataset's metainfo=dict(unseen_idx=[...]), got "
                f'{unseen!r}')
        self.unseen_idx = [int(i) for i in unseen]
        self.indices: List[int] = []
        self._fully_initialized = False
        if not lazy_init:
            self.full_init()

    @property
    def metainfo(self) -> dict:
        return copy.deepcopy(self.dataset.metainfo)

    def full_init(self) -> None:
        """Read the label maps and keep the images free of unseen pixels."""
        if self._fully_initialized:
            return
        self.dataset.full_init()
        total = len(self.dataset)
        self.indices = [
            i for i in range(total)
            if not self._holds_unseen(self.dataset.get_data_info(i))
        ]
        if not self.indices:
            raise SetupError(
                f'every one of the {total} images holds a class of '
                f'{self.unseen_idx}: no image is left for inductive training')
        print_log(
            f'InductiveDataset: {len(self.indices)} of {total} images '
            f'hold no pixel of classes {self.unseen_idx}',
            logger='current')
        self._fully_initialized = True

    def _holds_unseen(self, info: dict) -> bool:
        label = np.asarray(Image.open(info['seg_map_path']))
        if info.get('reduce_zero_label'):
            label = np.where(label == 0, 255, label.astype(np.int64) - 1)
        mapped = label.copy()
        for old, new in (info.get('label_map') or {}).items():
            mapped[label == old] = new
        return bool(np.isin(mapped, self.unseen_idx).any())

    def get_data_info(self, idx: int) -> dict:
        self.full_init()
        return self.dataset.get_data_info(self.indices[idx])

    def __getitem__(self, idx: int) -> dict:
        self.full_init()
        return self.dataset[self.indices[idx]]

    def __len__(self) -> int:
        self.full_init()
        return len(self.indices)
