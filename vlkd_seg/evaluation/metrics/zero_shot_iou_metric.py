import logging
from typing import Dict, List, Optional, Sequence

import numpy as np
import torch
from mmengine.logging import MMLogger, print_log
from mmseg.evaluation import IoUMetric
from mmseg.registry import METRICS
from prettytable import PrettyTable

from vlkd_seg.datasets.transforms import check_label_range
from vlkd_seg.utils.errors import ConfigError
from vlkd_seg.utils.io import write_json_atomically


@METRICS.register_module()
class ZeroShotIoUMetric(IoUMetric):
    """IoU over seen and unseen classes, and their harmonic mean (hIoU).

    Takes the same data samples as mmseg's ``IoUMetric`` and accumulates
    intersections and unions over the whole set like it, so a class absent
    from both ground truth and prediction does not count. All values are
    percentages: ``aAcc``, ``mIoU``, ``mIoU_seen``, ``mIoU_unseen`` and
    ``hIoU = 2 * S * U / (S + U)``.

    Args:
        unseen_idx (Sequence[int], optional): Indices of the unseen classes;
            by default the dataset's (``metainfo=dict(unseen_idx=...)``,
            read from ``dataset_meta`` as ``IoUMetric`` reads the classes).
        seen_idx (Sequence[int], optional): Indices of the seen classes.
            Defaults to every class not in ``unseen_idx``.
        ignore_index (int): Label ignored in evaluation. Defaults to 255.
        per_class_file (str, optional): Where to dump the per-class table as
            JSON. Defaults to None (not dumped).
        **kwargs: Passed to :class:`mmseg.evaluation.IoUMetric`.
    """

    def __init__(self,
                 unseen_idx: Optional[Sequence[int]] = None,
                 seen_idx: Optional[Sequence[int]] = None,
                 ignore_index: int = 255,
                 per_class_file: Optional[str] = None,
                 **kwargs) -> None:
        super().__init__(
            ignore_index=ignore_index, iou_metrics=['mIoU'], **kwargs)
        self.unseen_idx = _indices(unseen_idx)
        self.seen_idx = _indices(seen_idx)
        self.per_class_file = per_class_file
        _check_split(self.unseen_idx or [], self.seen_idx, None)

    @IoUMetric.dataset_meta.setter
    def dataset_meta(self, meta: dict) -> None:
        given = _indices(meta.get('unseen_idx'))
        if self.unseen_idx is None:
            self.unseen_idx = given
        elif given is not None and sorted(given) != sorted(self.unseen_idx):
            raise ConfigError(
                f'ZeroShotIoUMetric unseen_idx {self.unseen_idx} disagrees '
                f"with the dataset's {given}: a run has one split; leave the "
                "metric's out (it reads the dataset's).")
        if self.unseen_idx is None:
            raise ConfigError(
                'ZeroShotIoUMetric has no unseen classes: give the dataset '
                'metainfo=dict(unseen_idx=[...]) (the dataset bases do), or '
                'the metric unseen_idx=[...].')
        _check_split(self.unseen_idx, self.seen_idx, len(meta['classes']))
        self._dataset_meta = meta

    def process(self, data_batch: dict, data_samples: Sequence[dict]) -> None:
        """Check the ground truth fits the classes, then accumulate the
        areas as ``IoUMetric`` does."""
        num_classes = len(self.dataset_meta['classes'])
        for sample in data_samples:
            check_label_range(sample['gt_sem_seg']['data'], num_classes,
                              (self.ignore_index, ),
                              [sample.get('seg_map_path', '?')])
        super().process(data_batch, data_samples)

    def _splits(self, num_classes: int) -> np.ndarray:
        """``(C,)`` array of 'seen' / 'unseen' / '-' (in neither split)."""
        split = np.full(num_classes, '-', dtype=object)
        seen = self.seen_idx
        if seen is None:
            seen = [i for i in range(num_classes) if i not in self.unseen_idx]
        split[seen] = 'seen'
        split[self.unseen_idx] = 'unseen'
        return split

    def compute_metrics(self, results: List) -> Dict[str, float]:
        """Compute the metrics from the accumulated areas.

        Args:
            results (list): Per-image ``(intersect, union, pred, label)``
                area tuples of shape ``(C,)`` each, from ``process``.

        Returns:
            dict[str, float]: ``aAcc, mIoU, mIoU_seen, mIoU_unseen, hIoU``.
        """
        inter, union, _, label = (
            torch.stack(r).sum(0).double().numpy() for r in zip(*results))
        with np.errstate(divide='ignore', invalid='ignore'):
            iou = inter / union
            acc = inter / label
        split = self._splits(len(iou))
        seen = _nanmean(iou[split == 'seen'])
        unseen = _nanmean(iou[split == 'unseen'])
        metrics = dict(
            aAcc=inter.sum() / max(label.sum(), 1) * 100,
            mIoU=_nanmean(iou) * 100,
            mIoU_seen=seen * 100,
            mIoU_unseen=unseen * 100,
            hIoU=harmonic_mean(seen, unseen) * 100)
        metrics = {k: round(float(v), 2) for k, v in metrics.items()}
        self._report(iou, acc, split, metrics)
        return metrics

    def _report(self, iou, acc, split, metrics) -> None:
        logger: MMLogger = MMLogger.get_current_instance()
        rows = [
            dict(Class=name, Split=s, IoU=_pct(i),
                 Acc=_pct(a)) for name, s, i, a in zip(
                     self.dataset_meta['classes'], split, iou, acc)
        ]
        table = PrettyTable(['Class', 'Split', 'IoU', 'Acc'])
        for row in rows:
            table.add_row(list(row.values()))
        print_log('per class results:\n' + table.get_string(), logger)
        missing = [k for k, v in metrics.items() if np.isnan(v)]
        if missing:
            print_log(
                f'{", ".join(missing)} undefined (NaN): no class of that '
                'split appears in the ground truth or the predictions, or '
                'the split is empty.',
                logger,
                level=logging.WARNING)
        if self.per_class_file:
            write_json_atomically(
                dict(summary=metrics, classes=rows), self.per_class_file)


def _indices(idx: Optional[Sequence[int]]) -> Optional[List[int]]:
    return None if idx is None else [int(i) for i in idx]


def harmonic_mean(seen: float, unseen: float) -> float:
    """``2 S U / (S + U)``; 0 when both are 0, NaN if either is NaN."""
    if np.isnan(seen) or np.isnan(unseen):
        return float('nan')
    return 0.0 if seen + unseen == 0 else 2 * seen * unseen / (seen + unseen)


def _nanmean(values: np.ndarray) -> float:
    values = values[~np.isnan(values)]
    return float(values.mean()) if values.size else float('nan')


def _pct(value: float) -> Optional[float]:
    return None if np.isnan(value) else round(float(value) * 100, 2)


def _check_split(unseen: List[int], seen: Optional[List[int]],
                 num_classes: Optional[int]) -> None:
    for name, idx in (('unseen_idx', unseen), ('seen_idx', seen or [])):
        if len(set(idx)) != len(idx):
            raise ConfigError(f'{name} {idx} repeats a class index')
        bad = [i for i in idx if i < 0 or (num_classes and i >= num_classes)]
        if bad:
            raise ConfigError(
                f'{name} holds {bad}, outside the {num_classes or "0+"} '
                'classes of the dataset; fix the split in the config.')
    both = sorted(set(unseen) & set(seen or []))
    if both:
        raise ConfigError(f'classes {both} are both seen and unseen; '
                          'seen_idx and unseen_idx must not overlap.')
