"""How well a CLIPSeg on the embedded world answers prompts: the binary IoU
of each object's phrase and of an image prompt of it."""
import os
import os.path as osp
from typing import Dict, List, Sequence

import numpy as np
from PIL import Image
from torch import nn

from vlkd_seg.apis import encode_prompts, prompt_masks
from vlkd_seg.datasets.world_phrases import MIN_PIXELS
from vlkd_seg.datasets.world_scenes import WORLD_CLASSES


def prompt_ious(model: nn.Module,
                world: str,
                unseen: Sequence[str],
                split: str = 'val') -> Dict[str, float]:
    """Mean binary IoU (%) over the seen and over the unseen objects of
    their phrase ("a ring") and of an image prompt of them (the first scene
    of ``split`` showing the object at least ``MIN_PIXELS``, darkened
    outside it; the support scene itself is not scored), each summed over
    the scenes of ``split`` (a pixel is the object's above 0.5).

    Args:
        model (nn.Module): A CLIPSeg with its ``cfg`` (``init_segmenter``).
        world (str): The world's root.
        unseen (Sequence[str]): Names of the unseen objects.
        split (str): The scenes scored.

    Returns:
        dict: ``phrase_IoU_seen``, ``phrase_IoU_unseen``,
        ``image_IoU_seen``, ``image_IoU_unseen``.
    """
    names = sorted(os.listdir(osp.join(world, 'img_dir', split)))
    labels = [
        np.asarray(Image.open(osp.join(world, 'ann_dir', split, n)))
        for n in names
    ]
    objects = list(range(1, len(WORLD_CLASSES)))
    supports = [
        next(i for i, lab in enumerate(labels)
             if (lab == v).sum() >= MIN_PIXELS) for v in objects
    ]
    images = [osp.join(world, 'img_dir', split, n) for n in names]
    _, text = encode_prompts(model, [f'a {WORLD_CLASSES[v]}' for v in objects],
                             [(images[i],
                               (labels[i] == v).astype(np.uint8) * 255)
                              for i, v in zip(supports, objects)])
    counts = np.zeros((2, 2, len(objects)))  # (inter, union) x (phrase,
    pipelines = {}  # image) x object
    for i, (image, label) in enumerate(zip(images, labels)):
        masks = prompt_masks(model, image, [], text, pipelines)['masks']
        found = (masks > 0.5).cpu().numpy().reshape(2, len(objects),
                                                    *label.shape)
        truth = np.stack([label == v for v in objects])[None]
        scores = np.stack([(found & truth).sum(axis=(2, 3)),
                           (found | truth).sum(axis=(2, 3))])
        scores[:, 1, [j for j, s in enumerate(supports) if s == i]] = 0
        counts += scores
    return _means(counts, objects, unseen)


def _means(counts: np.ndarray, objects: List[int],
           unseen: Sequence[str]) -> Dict[str, float]:
    iou = 100 * counts[0] / np.maximum(counts[1], 1)
    is_unseen = np.array([WORLD_CLASSES[v] in unseen for v in objects])
    return {
        f'{kind}_IoU_{part}': float(iou[k][mask].mean())
        for k, kind in enumerate(('phrase', 'image'))
        for part, mask in (('seen', ~is_unseen), ('unseen', is_unseen))
    }
