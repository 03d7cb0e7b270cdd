"""How whole a two-stage model's proposals come out: the class-agnostic
recall of the objects of some classes (FreeSeg's unseen objects)."""
from typing import Dict, Iterable, Sequence

import torch
from torch import Tensor, nn


@torch.no_grad()
def proposal_recall(model: nn.Module,
                    dataloader: Iterable,
                    classes: Sequence[int],
                    iou: float = 0.5) -> Dict[str, float]:
    """Share (%) of the objects of ``classes`` that some proposal of
    ``model`` covers at ``iou`` or more, whatever class it is given.

    An object is the region of one class in one image (the world's scenes
    hold at most one object per class; semantic Mask2Former training merges
    a class's regions into one target); a proposal is a query's mask above
    0.5, at the input's size.

    Args:
        model (nn.Module): A ``FreeSeg``.
        dataloader (Iterable): Batches with ``gt_sem_seg``, e.g. the
            runner's test loader.
        classes (Sequence[int]): The classes whose objects count.
        iou (float): The IoU an object needs from one proposal.

    Returns:
        dict: ``recall`` (%) and ``objects`` (how many were counted).
    """
    model.eval()
    found = total = 0
    for data in dataloader:
        data = model.data_preprocessor(data, False)
        inputs, samples = data['inputs'], data['data_samples']
        _, masks = model.decode_head.predict_queries(
            model.extract_feat(inputs), [s.metainfo for s in samples],
            model.vocabulary.text, inputs.shape[-2:])
        for proposals, sample in zip(masks.sigmoid() > 0.5, samples):
            labels = sample.gt_sem_seg.data[0]
            proposals = proposals[:, :labels.shape[0], :labels.shape[1]]
            for c in classes:
                region = labels == c
                if region.any():
                    total += 1
                    found += int(_best_iou(proposals, region) >= iou)
    return dict(recall=100. * found / max(total, 1), objects=float(total))


def _best_iou(proposals: Tensor, region: Tensor) -> float:
    """Highest IoU of ``(Q, H, W)`` bool proposals with an ``(H, W)``
    region."""
    inter = (proposals & region).flatten(1).sum(1)
    union = (proposals | region).flatten(1).sum(1)
    return float((inter / union.clamp(min=1)).max())
