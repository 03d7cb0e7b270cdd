import logging
from typing import Dict, List, Optional, Sequence

import torch
from mmengine.evaluator import BaseMetric
from mmengine.logging import print_log
from mmengine.registry import METRICS
from torch import Tensor

from vlkd_seg.utils.errors import ConfigError, SetupError, required
from .class_split import load_class_split
from .metrics import (neighbour_overlap, relative_match_rate,
                      text_order_reversals)


@METRICS.register_module()
class VLDistillMetric(BaseMetric):
    """Space alignment and ID / OOD accuracy of a distilled student.

    Registered in mmengine's root registry, so mmpretrain and mmseg configs
    both find it. ``process`` keeps, per sample (the predictions of
    :class:`VLDistillClassifier`):

    - ``student_feat`` / ``teacher_feat`` ``(D,)``: image features;
    - ``text_sim`` / ``teacher_text_sim`` ``(K,)``: their cosine
      similarities to the K class texts;
    - ``gt_label``: the class index.

    ``compute_metrics`` reports, as Li et al. do, on the samples of the ID
    classes and on those of the OOD classes separately (keys ``id_...``,
    ``ood_...``): M_rel, M_neigh@k and M_vlalign@k (chunked, see
    :mod:`vlkd_seg.classification.metrics`), M_vlalign ranked over that
    set's own class texts; the mean per-class accuracy (%) of zero-shot
    classification against that set's texts only (``id_acc``,
    ``ood_acc``); the same accuracy for the teacher's features
    (``teacher_id_acc``, ``teacher_ood_acc``), the reference the student is
    distilled from. Evaluated on the training images, the ID set is the
    paper's X_train: name it with ``set_names=dict(id='train')``.

    Args:
        class_split (str): Split file, packaged split name or authors'
            folder (see :mod:`vlkd_seg.classification.class_split`); a
            recipe sets it once at its top level.
        neigh_ks (Sequence[int]): k of M_neigh.
        vlalign_ks (Sequence[int]): k of M_vlalign.
        chunk (int): Rows per chunk of the set-level metrics.
        set_names (dict, optional): Key prefix of the ``'id'`` and
            ``'ood'`` sets (defaults to their own names).
    """
    default_prefix = 'vlkd'

    def __init__(self,
                 class_split: Optional[str] = None,
                 neigh_ks: Sequence[int] = (3, 5, 10),
                 vlalign_ks: Sequence[int] = (2, 3, 5),
                 chunk: int = 4096,
                 set_names: Optional[Dict[str, str]] = None,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None):
        super().__init__(collect_device=collect_device, prefix=prefix)
        split = load_class_split(
            required(class_split, 'class_split',
                     type(self).__name__))
        self.num_classes = len(split.names)
        self.splits = dict(id=split.id_classes, ood=split.ood_classes)
        self.neigh_ks = neigh_ks
        self.vlalign_ks = vlalign_ks
        self.chunk = chunk
        self.set_names = {**dict(id='id', ood='ood'), **(set_names or {})}
        if set(self.set_names) != {'id', 'ood'}:
            raise ConfigError('set_names renames the sets \'id\' and '
                              f'\'ood\' only, got {sorted(set_names)}')

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        for sample in data_samples:
            if 'teacher_feat' not in sample:
                raise SetupError(
                    'VLDistillMetric needs teacher features: add '
                    "dict(type='TeacherFeatureHook', pipeline=...) to "
                    'custom_hooks')
            self.results.append(
                tuple(
                    torch.as_tensor(sample[key]).float().cpu()
                    for key in ('student_feat', 'teacher_feat', 'text_sim',
                                'teacher_text_sim')) +
                (int(torch.as_tensor(sample['gt_label']).flatten()[0]), ))

    def compute_metrics(self, results: List) -> Dict[str, float]:
        student, teacher, s_sims, t_sims = (
            torch.stack(r) for r in list(zip(*results))[:4])
        labels = torch.tensor([r[4] for r in results])
        if s_sims.shape[1] != self.num_classes:
            raise ConfigError(f'{s_sims.shape[1]} text similarities per '
                              f'sample but the split has {self.num_classes} '
                              'classes')
        metrics = {}
        for split, classes in self.splits.items():
            keep = torch.isin(labels, torch.tensor(classes, dtype=torch.long))
            if not classes or not keep.any():
                continue
            name = self.set_names[split]
            cols = torch.tensor(classes)
            metrics.update({
                f'{name}_{k}': v
                for k, v in
                self._space(student[keep], teacher[keep], s_sims[keep]
                            [:, cols], t_sims[keep][:, cols]).items()
            })
            metrics[f'{name}_acc'] = class_mean_accuracy(
                s_sims, labels, classes)
            metrics[f'teacher_{name}_acc'] = class_mean_accuracy(
                t_sims, labels, classes)
        return metrics

    def _space(self, student: Tensor, teacher: Tensor, s_sims: Tensor,
               t_sims: Tensor) -> Dict[str, float]:
        """M_rel, M_neigh@k, M_vlalign@k of one set: features ``(N, D)``,
        similarities ``(N, K_set)`` to that set's class texts."""
        metrics = dict(M_rel=relative_match_rate(student, teacher, self.chunk))
        for k in self._fitting('M_neigh', self.neigh_ks, len(student) - 1):
            metrics[f'M_neigh@{k}'] = neighbour_overlap(
                student, teacher, k, self.chunk)
        for k in self._fitting('M_vlalign', self.vlalign_ks, s_sims.shape[1]):
            metrics[f'M_vlalign@{k}'] = text_order_reversals(
                s_sims, t_sims, k, self.chunk)
        return metrics

    @staticmethod
    def _fitting(name: str, ks: Sequence[int], limit: int) -> List[int]:
        """The ``ks`` at most ``limit``; the others are left out of the
        results with a warning (an evaluation set too small for them)."""
        skipped = [k for k in ks if k > limit]
        if skipped:
            print_log(
                f'{name}@{skipped} left out: k must be at most {limit} here',
                logger='current',
                level=logging.WARNING)
        return [k for k in ks if k <= limit]


def class_mean_accuracy(sims: Tensor, labels: Tensor,
                        classes: List[int]) -> float:
    """Mean per-class accuracy (%) over the samples of ``classes`` of the
    argmax of ``sims`` ``(N, K)`` restricted to those classes' columns;
    NaN when no sample belongs to them."""
    classes_t = torch.tensor(classes)
    keep = torch.isin(labels, classes_t)
    if not keep.any():
        return float('nan')
    pred = classes_t[sims[keep][:, classes_t].argmax(-1)]
    truth = labels[keep]
    per_class = [(pred[truth == c] == c).float().mean().item() for c in classes
                 if (truth == c).any()]
    return 100 * sum(per_class) / len(per_class)
