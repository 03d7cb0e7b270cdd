import copy
import os.path as osp
from typing import List, Union

from mmengine.dataset import BaseDataset, Compose
from mmpretrain.registry import DATASETS

from vlkd_seg.utils.errors import ConfigError
from ..class_split import (check_dataset_classes, load_class_split,
                           subset_classes)


@DATASETS.register_module()
class ClassSplitDataset:
    """The samples of a classification dataset whose class is in one part
    of an ID / OOD split.

    Labels keep the dataset's own indices (the split file lists classes in
    that order), so one model scores ID and OOD classes alike. ``sample_idx``
    is the index within this subset, which is how
    :class:`VLDistillClassifier` finds each sample's teacher feature.

    Args:
        dataset (dict | BaseDataset): Any mmpretrain dataset (``CUB``,
            ``StanfordCars``, ``Flowers102``, ``Food101``, ``SUN397``,
            ``ImageNet``, ``CustomDataset``, ...); a ``~`` in its
            ``data_root`` is expanded.
        class_split (str): Split file or packaged split name.
        subset (str): ``'id'`` (training), ``'ood'`` or ``'all'``.
        pipeline (list[dict], optional): Replaces the wrapped dataset's
            pipeline if given.
    """

    def __init__(self,
                 dataset: Union[dict, BaseDataset],
                 class_split: str,
                 subset: str = 'id',
                 pipeline: List[dict] = None):
        if isinstance(dataset, dict):
            dataset = dict(dataset)
            if isinstance(dataset.get('data_root'), str):
                dataset['data_root'] = osp.expanduser(dataset['data_root'])
            dataset = DATASETS.build(dataset)
        self.dataset = dataset
        self.split = load_class_split(class_split)
        classes = dataset.metainfo.get('classes') or ()
        check_dataset_classes(self.split, classes)
        keep = set(subset_classes(self.split, subset))
        self.indices = [
            i for i in range(len(dataset))
            if int(dataset.get_data_info(i)['gt_label']) in keep
        ]
        if not self.indices:
            raise ConfigError(f'no sample of the {subset!r} classes in '
                              f'{type(dataset).__name__} (root '
                              f'{getattr(dataset, "data_root", None)!r})')
        self.pipeline = Compose(pipeline) if pipeline else dataset.pipeline
        self.metainfo = copy.deepcopy(dataset.metainfo)
        self.metainfo.setdefault('classes', tuple(self.split.names))
        self.subset = subset

    def __len__(self) -> int:
        return len(self.indices)

    def get_data_info(self, idx: int) -> dict:
        """Annotation of the ``idx``-th sample of the subset."""
        info = self.dataset.get_data_info(self.indices[idx])
        info['sample_idx'] = idx
        return info

    def __getitem__(self, idx: int) -> dict:
        return self.pipeline(self.get_data_info(idx))

    def __repr__(self) -> str:
        return (f'{type(self).__name__}({type(self.dataset).__name__}, '
                f'{self.subset}: {len(self)} of {len(self.dataset)} samples)')
