import bisect
import copy
from typing import Dict, List, Optional, Sequence, Union

import torch
from mmengine.logging import print_log
from mmseg.registry import DATASETS
from torch.utils.data import Dataset

from vlkd_seg.utils.errors import ConfigError
from vlkd_seg.utils.vocabulary import load_class_names
from .transforms import UNLABELED_INDEX
from .label_spaces import LabelSpaces, unify_label_spaces


@DATASETS.register_module()
class UnifiedDataset(Dataset):
    """Several segmentation datasets in one label space (SSIW, Yin et al.
    2022): one run trains on all of them.

    Each dataset keeps its own classes; the unified classes are their union
    with the ``synonyms`` merged (:func:`unify_label_spaces`; the merge
    table is logged and ``UnifiedLabelsHook`` writes it to the work dir).
    A sample's labels are mapped into the unified space and its metainfo
    says what its dataset can say: ``label_space`` (the unified classes it
    annotates), ``silent_labels`` (labels that stand for "any class I do
    not annotate": its catch-all classes, e.g. ``background`` or
    ``other``, and 255 where its unlabelled pixels are so) and
    ``dataset_name``. ``MultiDatasetDistiller`` reads them.

    Args:
        datasets (Sequence[dict]): Per dataset ``dict(name=..., dataset=
            <mmseg dataset config>, silent=[...], classes=...)``;
            ``silent`` lists class names of that dataset and/or 255
            (default: none); ``classes`` (optional: names, a file or a
            packaged vocabulary) renames its classes, in its label order,
            for the merge (mmseg's ``'building-other'`` as
            ``'building'``); by default its metainfo's.
        synonyms (Sequence[Sequence[str]]): Groups of names of one class.
        classes (str | Sequence[str], optional): The unified classes, in
            the model's order (:func:`unify_label_spaces`): names, a file
            or a packaged vocabulary.
        lazy_init (bool): Build nothing until first use.
    """

    def __init__(self,
                 datasets: Sequence[dict],
                 synonyms: Sequence[Sequence[str]] = (),
                 classes: Optional[Sequence[str]] = None,
                 lazy_init: bool = False):
        self.entries = _check_entries(datasets)
        self.datasets = [
            DATASETS.build(e['dataset'])
            if isinstance(e['dataset'], dict) else e['dataset']
            for e in self.entries
        ]
        self.spaces: LabelSpaces = unify_label_spaces(
            {
                e['name']: _classes(e, d)
                for e, d in zip(self.entries, self.datasets)
            }, synonyms,
            None if classes is None else load_class_names(classes))
        if len(self.spaces.classes) > UNLABELED_INDEX:
            raise ConfigError(
                f'{len(self.spaces.classes)} unified classes: labels '
                f'{UNLABELED_INDEX} and 255 are reserved, so {UNLABELED_INDEX}'
                ' classes at most; merge more synonyms')
        self._luts = [self._lut(e['name']) for e in self.entries]
        self._meta = [
            self._sample_meta(e, d)
            for e, d in zip(self.entries, self.datasets)
        ]
        self._ends: List[int] = []
        if not lazy_init:
            self.full_init()

    @property
    def metainfo(self) -> dict:
        return dict(
            classes=tuple(self.spaces.classes),
            label_spaces=copy.deepcopy(self.spaces.table))

    def full_init(self) -> None:
        """Initialise the datasets and log the merge table."""
        if self._ends:
            return
        total = 0
        for dataset in self.datasets:
            dataset.full_init()
            total += len(dataset)
            self._ends.append(total)
        print_log(
            f'UnifiedDataset: {len(self.spaces.classes)} classes from '
            f'{len(self.datasets)} datasets ({total} samples); merge table:\n'
            + '\n'.join(self.spaces.table_lines()),
            logger='current')

    def _lut(self, name: str) -> torch.Tensor:
        """``(256,)`` unified label of each of the dataset's labels (255:
        ignored, and any label outside its classes)."""
        lut = torch.full((256, ), 255, dtype=torch.long)
        mapped = self.spaces.maps[name]
        lut[:len(mapped)] = torch.tensor(mapped, dtype=torch.long)
        return lut

    def _sample_meta(self, entry: dict,
                     dataset) -> Dict[str, Union[str, List[int]]]:
        """What the samples of ``dataset`` say of its labels."""
        mapped = self.spaces.maps[entry['name']]
        own = _classes(entry, dataset)
        silent = []
        for label in entry['silent']:
            if label == 255:
                silent.append(255)
            elif label in own:
                silent.append(mapped[own.index(label)])
            else:
                raise ConfigError(
                    f'silent label {label!r} of dataset {entry["name"]!r} is '
                    f'not one of its classes {own} nor 255')
        return dict(
            dataset_name=entry['name'],
            label_space=sorted(mapped),
            silent_labels=silent)

    def _locate(self, idx: int):
        self.full_init()
        if not -len(self) <= idx < len(self):
            raise IndexError(f'index {idx} of {len(self)} samples')
        idx = idx % len(self)
        which = bisect.bisect_right(self._ends, idx)
        start = self._ends[which - 1] if which else 0
        return which, idx - start

    def get_data_info(self, idx: int) -> dict:
        which, local = self._locate(idx)
        return dict(self.datasets[which].get_data_info(local),
                    **self._meta[which])

    def __getitem__(self, idx: int) -> dict:
        which, local = self._locate(idx)
        results = self.datasets[which][local]
        sample = results['data_samples']
        if 'gt_sem_seg' in sample:
            labels = sample.gt_sem_seg.data
            sample.gt_sem_seg.data = self._luts[which][labels.long()].to(
                labels.dtype)
        sample.set_metainfo(copy.deepcopy(self._meta[which]))
        return results

    def __len__(self) -> int:
        self.full_init()
        return self._ends[-1] if self._ends else 0


def _check_entries(datasets: Sequence[dict]) -> List[dict]:
    if isinstance(datasets, dict) or not datasets:
        raise ConfigError(
            'UnifiedDataset needs a list of datasets, each dict(name=..., '
            'dataset=dict(type=...), silent=[...])')
    entries = []
    for i, entry in enumerate(datasets):
        if not isinstance(entry, dict) or set(entry) - {
                'name', 'dataset', 'silent', 'classes'
        } or not {'name', 'dataset'} <= set(entry):
            raise ConfigError(
                f'UnifiedDataset datasets[{i}] must be dict(name=..., '
                f'dataset=..., silent=[...], classes=...), got '
                f'{entry!r:.200}')
        silent = entry.get('silent', ())
        if isinstance(silent, (str, int)):
            silent = [silent]
        entries.append(
            dict(entry, name=str(entry['name']), silent=list(silent)))
    names = [e['name'] for e in entries]
    if len(set(names)) != len(names):
        raise ConfigError(f'UnifiedDataset dataset names {names} repeat')
    return entries


def _classes(entry: dict, dataset) -> List[str]:
    """The class names a dataset is merged by: its entry's, or its own."""
    name = entry['name']
    own = dataset.metainfo.get('classes')
    if not own:
        raise ConfigError(f'dataset {name!r} has no classes in its metainfo:'
                          ' give it metainfo=dict(classes=[...])')
    classes = list(own)
    if entry.get('classes') is not None:
        classes = load_class_names(entry['classes'])
        if len(classes) != len(own):
            raise ConfigError(
                f'dataset {name!r} has {len(own)} classes but its entry\'s '
                f'classes name {len(classes)}: give one name per class, in '
                'its label order')
    if len(classes) > 255:
        raise ConfigError(f'dataset {name!r} has {len(classes)} classes; '
                          'label maps hold 255 at most')
    return classes
