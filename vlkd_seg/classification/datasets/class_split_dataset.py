import copy
import os.path as osp
from typing import List, Optional, Union

from mmengine.dataset import BaseDataset, Compose
from mmpretrain.registry import DATASETS

from vlkd_seg.utils.errors import ConfigError, required
from ..authors_split import read_image_list
from ..class_split import (check_dataset_classes, load_class_split,
                           subset_classes)
from ..few_shot import pick_few_shot


@DATASETS.register_module()
class ClassSplitDataset:
    """The samples of a classification dataset whose class is in one part
    of an ID / OOD split.

    Two sources of samples:

    - the image lists of Li et al. (``part`` given, ``class_split`` a
      folder of the authors' files, see :mod:`..authors_split`): the
      paper's exact X_train / X_id / X_ood, images under ``data_root`` in
      the layout of the authors' ``scripts/split_dataset.py``;
    - otherwise any mmpretrain dataset (``dataset``) with a packaged or
      ``.tsv`` split: its own train / test split, filtered by class (the
      fallback when the authors' files are absent).

    Labels are the split's class indices, so one model scores ID and OOD
    classes alike. ``sample_idx`` is the index within this subset, which
    is how :class:`VLDistillClassifier` finds each sample's teacher
    feature.

    Args:
        dataset (dict | BaseDataset, optional): An mmpretrain dataset
            (``CUB``, ``Flowers102``, ``ImageNet``, ``CustomDataset``,
            ...); a ``~`` in its ``data_root`` is expanded. Not with
            ``part``.
        class_split (str): Split file, packaged split name or authors'
            folder; a recipe sets it once at its top level.
        subset (str): ``'id'`` (training), ``'ood'`` or ``'all'``.
        pipeline (list[dict], optional): Replaces the wrapped dataset's
            pipeline if given (required with ``part``).
        part (str, optional): Image list of the authors: ``'train'``
            (X_train), ``'val_on_train'`` (X_id), ``'val'`` (X_ood) or
            ``'test'`` (X_id + X_ood).
        data_root (str): Root of the images of ``part``.
        exclude_few_shot (dict, optional): ``dict(shots=5, seed=0)``: leave
            out the few-shot images of the OOD classes that
            :class:`FewShotMixDataset` trains on with the same arguments
            (the 5-shot stage's test set).
    """

    def __init__(self,
                 dataset: Union[dict, BaseDataset, None] = None,
                 class_split: Optional[str] = None,
                 subset: str = 'id',
                 pipeline: Optional[List[dict]] = None,
                 part: Optional[str] = None,
                 data_root: str = '',
                 exclude_few_shot: Optional[dict] = None):
        class_split = required(class_split, 'class_split', type(self).__name__)
        self.split = load_class_split(class_split)
        if part is None:
            infos, metainfo, default_pipeline = self._wrap(dataset)
        else:
            infos = self._read_lists(class_split, part, data_root, dataset)
            metainfo, default_pipeline = {}, None
        keep = set(subset_classes(self.split, subset))
        infos = [x for x in infos if int(x['gt_label']) in keep]
        if exclude_few_shot:
            drop = set(
                pick_few_shot(infos, self.split.ood_classes,
                              **exclude_few_shot))
            infos = [x for i, x in enumerate(infos) if i not in drop]
        if not infos:
            raise ConfigError(f'no sample of the {subset!r} classes in '
                              f'{part or type(self.dataset).__name__}')
        self.data_list = infos
        pipeline = pipeline or default_pipeline
        if pipeline is None:
            raise ConfigError('give a `pipeline` to read the authors\' '
                              'image lists')
        self.pipeline = Compose(pipeline) if isinstance(pipeline,
                                                        list) else pipeline
        self.metainfo = copy.deepcopy(metainfo)
        self.metainfo.setdefault('classes', tuple(self.split.names))
        self.subset = subset
        self.part = part

    def _wrap(self, dataset):
        if dataset is None:
            raise ConfigError('give either `dataset` (an mmpretrain dataset) '
                              'or `part` (an image list of the authors)')
        if isinstance(dataset, dict):
            dataset = dict(dataset)
            if isinstance(dataset.get('data_root'), str):
                dataset['data_root'] = osp.expanduser(dataset['data_root'])
            dataset = DATASETS.build(dataset)
        self.dataset = dataset
        check_dataset_classes(self.split,
                              dataset.metainfo.get('classes') or ())
        infos = [dataset.get_data_info(i) for i in range(len(dataset))]
        return infos, dataset.metainfo, dataset.pipeline

    def _read_lists(self, folder: str, part: str, data_root: str, dataset):
        if dataset is not None:
            raise ConfigError('`part` reads the authors\' image lists: leave '
                              '`dataset` out')
        if not osp.isdir(osp.expanduser(folder)):
            raise ConfigError(f'part={part!r} needs the folder of the '
                              'authors\' files as class_split, got '
                              f'{folder!r}')
        self.dataset = None
        label = {k: i for i, k in enumerate(self.split.keys)}
        root = osp.expanduser(data_root)
        return [
            dict(img_path=osp.join(root, path), gt_label=label[key])
            for path, key in read_image_list(osp.expanduser(folder), part)
        ]

    def __len__(self) -> int:
        return len(self.data_list)

    def get_data_info(self, idx: int) -> dict:
        """Annotation of the ``idx``-th sample of the subset."""
        info = copy.deepcopy(self.data_list[idx])
        info['sample_idx'] = idx
        return info

    def __getitem__(self, idx: int) -> dict:
        return self.pipeline(self.get_data_info(idx))

    def __repr__(self) -> str:
        source = self.part or type(self.dataset).__name__
        return (f'{type(self).__name__}({source}, {self.subset}: '
                f'{len(self)} samples)')
