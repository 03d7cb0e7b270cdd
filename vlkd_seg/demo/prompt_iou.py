"""How well a CLIPSeg on the embedded world answers prompts: the binary IoU
of each object's phrase and of an image prompt of it."""
import os
import os.path as osp
from typing import Dict, List, Sequence, Tuple

import mmcv
import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from torch import Tensor, nn

from vlkd_seg.datasets.world_phrases import MIN_PIXELS
from vlkd_seg.datasets.world_scenes import WORLD_CLASSES


def prompt_ious(model: nn.Module,
                world: str,
                unseen: Sequence[str],
                split: str = 'val') -> Dict[str, float]:
    """Mean binary IoU (%) over the seen and over the unseen objects of
    their phrase ("a ring") and of an image prompt of them (the first scene
    of ``split`` showing the object at least ``MIN_PIXELS``, darkened
    outside it; the support scene itself is not scored; an object no scene
    shows has none), each summed over the scenes of ``split`` (a pixel is
    the object's above 0.5).

    Args:
        model (nn.Module): A CLIPSeg trained on the world.
        world (str): The world's root.
        unseen (Sequence[str]): Names of the unseen objects.
        split (str): The scenes scored.

    Returns:
        dict: ``phrase_IoU_seen``, ``phrase_IoU_unseen``,
        ``image_IoU_seen``, ``image_IoU_unseen``.
    """
    names = sorted(os.listdir(osp.join(world, 'img_dir', split)))
    labels = np.stack([
        np.asarray(Image.open(osp.join(world, 'ann_dir', split, n)))
        for n in names
    ])
    inputs = _inputs(model,
                     [osp.join(world, 'img_dir', split, n) for n in names])
    objects = list(range(1, len(WORLD_CLASSES)))
    supports = _supports(labels, objects)
    shown = [objects.index(v) for v in supports]
    with torch.no_grad():
        text = model.encode_text([f'a {WORLD_CLASSES[v]}' for v in objects])
        if supports:
            rows = list(supports.values())
            masks = np.stack([labels[i] == v for v, i in supports.items()])
            masks = torch.from_numpy(masks)[:, None]
            text = torch.cat([text, model.encode_image(inputs[rows], masks)])
        found = _found(model, inputs, text, labels.shape[-2:])
    truth = np.stack([labels == v for v in objects], axis=1)[None]
    image = np.zeros_like(truth[0])  # (N, O, H, W), no support: nothing
    image[:, shown] = found[:, len(objects):]
    found = np.stack([found[:, :len(objects)], image])
    counts = np.stack([(found & truth).sum(axis=(1, 3, 4)),
                       (found | truth).sum(axis=(1, 3, 4))]).astype(float)
    for v, i in supports.items():  # the support scene is not scored
        j = objects.index(v)
        counts[0, 1, j] -= (found[1, i, j] & truth[0, i, j]).sum()
        counts[1, 1, j] -= (found[1, i, j] | truth[0, i, j]).sum()
    counts[:, 1, [j for j in range(len(objects)) if j not in shown]] = np.nan
    return _means(counts, objects, unseen)


def _inputs(model: nn.Module, paths: List[str]) -> Tensor:
    """``(N, 3, H, W)`` the scenes as the model's data preprocessor makes
    them (the world's test pipeline only loads them)."""
    images = [torch.from_numpy(mmcv.imread(p)).permute(2, 0, 1) for p in paths]
    return model.data_preprocessor(dict(inputs=images), False)['inputs']


def _found(model: nn.Module, inputs: Tensor, text: Tensor,
           size: Tuple[int, int]) -> np.ndarray:
    """``(N, P, H, W)`` where each prompt's sigmoid passes 0.5."""
    found = []
    for chunk in inputs.split(25):
        logits = F.interpolate(
            model.prompt_logits(chunk, text),
            size=size,
            mode='bilinear',
            align_corners=False)
        found.append((logits > 0).cpu().numpy())
    return np.concatenate(found)


def _supports(labels: List[np.ndarray], objects: List[int]) -> Dict[int, int]:
    """Per object, the first scene showing it (objects no scene shows are
    left out)."""
    supports = {}
    for v in objects:
        shown = [
            i for i, lab in enumerate(labels) if (lab == v).sum() >= MIN_PIXELS
        ]
        if shown:
            supports[v] = shown[0]
    return supports


def _means(counts: np.ndarray, objects: List[int],
           unseen: Sequence[str]) -> Dict[str, float]:
    iou = 100 * counts[0] / np.maximum(counts[1], 1)  # NaN: no support
    is_unseen = np.array([WORLD_CLASSES[v] in unseen for v in objects])
    return {
        f'{kind}_IoU_{part}': float(np.nanmean(iou[k][mask]))
        for k, kind in enumerate(('phrase', 'image'))
        for part, mask in (('seen', ~is_unseen), ('unseen', is_unseen))
    }
