import copy
from typing import List, Optional, Union

from mmengine.dataset import Compose
from mmpretrain.registry import DATASETS

from vlkd_seg.utils.errors import ConfigError
from ..few_shot import pick_few_shot
from .class_split_dataset import ClassSplitDataset


@DATASETS.register_module()
class FewShotMixDataset:
    """Training set of the 5-shot OOD stage (Li et al., 2023): all of
    ``base`` (X_train) followed by ``shots`` images of every OOD class of
    ``shots_from`` (X_ood).

    The images are drawn by :func:`pick_few_shot`; a
    ``ClassSplitDataset`` with ``exclude_few_shot=dict(shots=..., seed=...)``
    over the same OOD images leaves exactly these out (the stage's test
    set). :class:`FewShotMixSampler` puts them in every batch.

    Args:
        base (dict | ClassSplitDataset): The ID training images.
        shots_from (dict | ClassSplitDataset): Images of the OOD classes.
        shots (int): Images per OOD class.
        seed (int, optional): Seed of the draw; None: the first
            ``shots`` sorted paths of each class.
        pipeline (list[dict], optional): Replaces both datasets' pipeline.
    """

    def __init__(self,
                 base: Union[dict, ClassSplitDataset],
                 shots_from: Union[dict, ClassSplitDataset],
                 shots: int = 5,
                 seed: Optional[int] = 0,
                 pipeline: Optional[List[dict]] = None):
        base, source = (
            DATASETS.build(d) if isinstance(d, dict) else d
            for d in (base, shots_from))
        if base.split.names != source.split.names:
            raise ConfigError('base and shots_from must use the same class '
                              'split')
        ood = base.split.ood_classes
        source_infos = [source.get_data_info(i) for i in range(len(source))]
        picked = [
            source_infos[i]
            for i in pick_few_shot(source_infos, ood, shots, seed)
        ]
        self.data_list = [base.get_data_info(i)
                          for i in range(len(base))] + picked
        self.num_few_shot = len(picked)
        self.split = base.split
        self.metainfo = copy.deepcopy(base.metainfo)
        self.pipeline = Compose(pipeline) if pipeline else base.pipeline

    def __len__(self) -> int:
        return len(self.data_list)

    def get_data_info(self, idx: int) -> dict:
        """Annotation of the ``idx``-th sample (the few-shot ones last)."""
        info = copy.deepcopy(self.data_list[idx])
        info['sample_idx'] = idx
        return info

    def __getitem__(self, idx: int) -> dict:
        return self.pipeline(self.get_data_info(idx))

    def __repr__(self) -> str:
        return (f'{type(self).__name__}({len(self) - self.num_few_shot} '
                f'base + {self.num_few_shot} few-shot samples)')
