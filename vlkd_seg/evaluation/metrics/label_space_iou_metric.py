import copy
from typing import Optional, Sequence, Union

import torch
from mmseg.registry import METRICS

from vlkd_seg.datasets.label_spaces import unify_label_spaces
from vlkd_seg.utils.errors import ConfigError
from vlkd_seg.utils.vocabulary import load_class_names
from .zero_shot_iou_metric import ZeroShotIoUMetric


@METRICS.register_module()
class LabelSpaceIoUMetric(ZeroShotIoUMetric):
    """:class:`ZeroShotIoUMetric` of a dataset whose classes are not the
    model's: a model trained on unified classes (SSIW) predicts over its
    vocabulary and is scored in the dataset's label space.

    Each predicted class becomes the dataset's class of the same name (or a
    synonym of it); a class the dataset does not have becomes its
    catch-all class ``other`` (e.g. ``'background'``: the dataset labels
    such pixels so), or, with none, a miss (255, as "unknown" pixels).
    ``unseen_idx`` (the dataset's classes reported apart, e.g. those the
    other training datasets lack) is read as :class:`ZeroShotIoUMetric`
    reads it.

    Args:
        prediction_classes (str | Sequence[str]): The classes the model
            predicts, in its label order (its vocabulary): names, a file or
            a packaged vocabulary.
        synonyms (Sequence[Sequence[str]]): Groups of names of one class
            (groups naming fewer than two of these classes are skipped).
        other (str, optional): The dataset's catch-all class.
        dataset_classes (str | Sequence[str], optional): The names the
            dataset's classes are matched by, in its label order (mmseg's
            ``'tvmonitor'`` as ``'tv monitor'``); by default its metainfo's.
        **kwargs: :class:`ZeroShotIoUMetric` arguments.
    """

    def __init__(self,
                 prediction_classes: Union[str, Sequence[str]],
                 synonyms: Sequence[Sequence[str]] = (),
                 other: Optional[str] = None,
                 dataset_classes: Union[str, Sequence[str], None] = None,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        if not prediction_classes:
            raise ConfigError('LabelSpaceIoUMetric prediction_classes must '
                              "name the model's classes, got "
                              f'{prediction_classes!r}')
        prediction_classes = load_class_names(prediction_classes)
        if len(prediction_classes) > 255:
            raise ConfigError('LabelSpaceIoUMetric maps 255 predicted '
                              'classes at most')
        self.prediction_classes = list(prediction_classes)
        self.synonyms = [list(g) for g in synonyms]
        self.other = other
        self.dataset_classes = None if dataset_classes is None else \
            load_class_names(dataset_classes)
        self._lut: Optional[torch.Tensor] = None

    @ZeroShotIoUMetric.dataset_meta.setter
    def dataset_meta(self, meta: dict) -> None:
        ZeroShotIoUMetric.dataset_meta.fset(self, meta)
        classes = list(meta['classes'])
        if self.dataset_classes is not None:
            if len(self.dataset_classes) != len(classes):
                raise ConfigError(
                    f'LabelSpaceIoUMetric dataset_classes name '
                    f'{len(self.dataset_classes)} classes, the dataset has '
                    f'{len(classes)}: one name per class, in its label order')
            classes = self.dataset_classes
        self._lut = self._prediction_lut(classes)

    def _prediction_lut(self, classes: Sequence[str]) -> torch.Tensor:
        """``(256,)`` the dataset's label of each predicted label."""
        if self.other is not None and self.other not in classes:
            raise ConfigError(f'LabelSpaceIoUMetric other={self.other!r} is '
                              f'not a class of the dataset: {classes}')
        spaces = dict(prediction=self.prediction_classes, dataset=classes)
        known = set(self.prediction_classes) | set(classes)
        groups = [[n for n in g if n in known] for g in self.synonyms]
        maps = unify_label_spaces(spaces,
                                  [g for g in groups if len(g) > 1]).maps
        own = {unified: i for i, unified in enumerate(maps['dataset'])}
        fallback = 255 if self.other is None else classes.index(self.other)
        lut = torch.full((256, ), 255, dtype=torch.long)
        for i, unified in enumerate(maps['prediction']):
            lut[i] = own.get(unified, fallback)
        return lut

    def process(self, data_batch: dict, data_samples: Sequence[dict]) -> None:
        """Map the predictions into the dataset's classes, then
        accumulate as :class:`ZeroShotIoUMetric` (the samples are left as
        they are)."""
        mapped = []
        for sample in data_samples:
            sample = copy.copy(sample)
            pred = sample['pred_sem_seg']['data']
            sample['pred_sem_seg'] = dict(
                sample['pred_sem_seg'],
                data=self._lut.to(pred.device)[pred.long()])
            mapped.append(sample)
        super().process(data_batch, mapped)
