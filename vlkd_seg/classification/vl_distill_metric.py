from typing import Dict, List, Optional, Sequence, Union

import torch
import torch.nn.functional as F
from mmengine.evaluator import BaseMetric
from mmengine.registry import METRICS
from torch import Tensor

from .metrics import (neighbour_overlap, relative_match_rate,
                      vl_alignment_reversals)


@METRICS.register_module()
class VLDistillMetric(BaseMetric):
    """Space alignment and ID / OOD accuracy of a distilled student.

    Registered in mmengine's root registry, so mmpretrain and mmseg configs
    both find it. ``process`` keeps, per sample, the student's and the
    teacher's image features and the label (``data_samples`` dicts with
    ``student_feat`` ``(D,)``, ``teacher_feat`` ``(D,)`` and ``gt_label``);
    ``compute_metrics`` reports M_rel, M_neigh@k, M_vlalign@k (chunked, see
    :mod:`vlkd_seg.classification.metrics`) and the mean per-class accuracy
    of zero-shot classification against the ID and the OOD class texts.

    Args:
        text (Tensor | str): Class text embeddings ``(K, D)``, or a file
            saved by ``tools/build_text_embeddings.py``.
        id_classes (Sequence[int]): Indices of the in-distribution classes.
        ood_classes (Sequence[int]): Indices of the OOD classes.
        neigh_ks (Sequence[int]): k of M_neigh.
        vlalign_ks (Sequence[int]): k of M_vlalign.
        chunk (int): Rows per chunk of the set-level metrics.
    """
    default_prefix = 'vlkd'

    def __init__(self,
                 text: Union[Tensor, str],
                 id_classes: Sequence[int],
                 ood_classes: Sequence[int] = (),
                 neigh_ks: Sequence[int] = (3, 5, 10),
                 vlalign_ks: Sequence[int] = (2, 3, 5),
                 chunk: int = 4096,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None):
        super().__init__(collect_device=collect_device, prefix=prefix)
        if isinstance(text, str):
            text = torch.load(
                text, map_location='cpu', weights_only=True)['embeddings']
        self.text = text.float()
        self.splits = dict(id=list(id_classes), ood=list(ood_classes))
        overlap = set(self.splits['id']) & set(self.splits['ood'])
        if overlap:
            raise ValueError(f'classes {sorted(overlap)} are both ID and OOD')
        bad = [
            i for i in self.splits['id'] + self.splits['ood']
            if not 0 <= i < len(self.text)
        ]
        if bad:
            raise ValueError(f'class indices {bad} outside the '
                             f'{len(self.text)} text embeddings')
        self.neigh_ks = neigh_ks
        self.vlalign_ks = vlalign_ks
        self.chunk = chunk

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        for sample in data_samples:
            self.results.append(
                (torch.as_tensor(sample['student_feat']).float().cpu(),
                 torch.as_tensor(sample['teacher_feat']).float().cpu(),
                 int(torch.as_tensor(sample['gt_label']).flatten()[0])))

    def compute_metrics(self, results: List) -> Dict[str, float]:
        student = torch.stack([r[0] for r in results])
        teacher = torch.stack([r[1] for r in results])
        labels = torch.tensor([r[2] for r in results])
        metrics = dict(M_rel=relative_match_rate(student, teacher, self.chunk))
        for k in self.neigh_ks:
            metrics[f'M_neigh@{k}'] = neighbour_overlap(
                student, teacher, k, self.chunk)
        for k in self.vlalign_ks:
            metrics[f'M_vlalign@{k}'] = vl_alignment_reversals(
                student, teacher, self.text, k, self.chunk)
        for split, classes in self.splits.items():
            if classes:
                metrics[f'{split}_acc'] = self._class_mean_accuracy(
                    student, labels, classes)
        return metrics

    def _class_mean_accuracy(self, feats: Tensor, labels: Tensor,
                             classes: List[int]) -> float:
        """Mean per-class accuracy (%) of zero-shot classification of the
        samples of ``classes`` against those classes' texts only."""
        classes_t = torch.tensor(classes)
        keep = torch.isin(labels, classes_t)
        if not keep.any():
            return float('nan')
        sims = F.normalize(
            feats[keep], dim=-1) @ F.normalize(
                self.text[classes_t], dim=-1).T
        pred = classes_t[sims.argmax(-1)]
        truth = labels[keep]
        per_class = [(pred[truth == c] == c).float().mean().item()
                     for c in classes if (truth == c).any()]
        return 100 * sum(per_class) / len(per_class)
