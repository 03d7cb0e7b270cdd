"""Per-image outputs of ``tools/infer.py``, written so that a killed run
leaves whole files only and a rerun can tell which images are done."""
import json
import os.path as osp
from typing import Sequence

import mmcv
import numpy as np

from vlkd_seg.utils.io import save_image_atomically, write_json_atomically
from .overlay import draw_overlay, label_fractions


def write_segmentation(sample, names: Sequence[str],
                       palette: Sequence[Sequence[int]], out_dir: str,
                       opacity: float, request: dict) -> None:
    """``NAME_overlay.png``, ``NAME_labels.png`` and ``NAME.json`` (the
    vocabulary and the class shares) of one segmented image.

    Args:
        sample (SegDataSample): The image's prediction (``pred_sem_seg``).
        names (Sequence[str]): The vocabulary, in label order.
        palette (Sequence): RGB colour per class.
        out_dir (str): Output folder.
        opacity (float): Weight of the colours over the image.
        request (dict): What the outputs depend on (JSON values), with the
            ``image`` path; stored in ``NAME.json`` for
            :func:`outputs_complete`.
    """
    stem = _stem(request['image'])
    labels = sample.pred_sem_seg.data[0].cpu().numpy()
    image = mmcv.imread(request['image'], channel_order='rgb')
    overlay, info = draw_overlay(image, labels, names, palette, opacity)
    files = [f'{stem}_overlay.png', f'{stem}_labels.png']
    save_image_atomically(overlay, osp.join(out_dir, files[0]), pnginfo=info)
    dtype = np.uint8 if len(names) <= 256 else np.uint16
    save_image_atomically(labels.astype(dtype), osp.join(out_dir, files[1]))
    classes = [
        dict(index=i, name=n, fraction=round(share, 6))
        for i, n, share in label_fractions(labels, names)
    ]
    _finish(
        out_dir, stem, request, files, vocabulary=list(names), classes=classes)


def write_prompt_masks(result: dict, out_dir: str, request: dict) -> None:
    """``NAME_prompt{i}.png`` (probability 0-255) per prompt and
    ``NAME.json`` (each mask's share above 0.5) of one image.

    Args:
        result (dict): From :func:`prompt_masks`: ``masks`` ``(P, H, W)``
            probabilities and ``prompts`` (P names).
        out_dir (str): Output folder.
        request (dict): As :func:`write_segmentation`'s.
    """
    stem = _stem(request['image'])
    masks = result['masks'].cpu().numpy()
    files = [f'{stem}_prompt{i}.png' for i in range(len(masks))]
    for name, mask in zip(files, masks):
        save_image_atomically((mask * 255).round().astype(np.uint8),
                              osp.join(out_dir, name))
    prompts = [
        dict(index=i, prompt=p, fraction=round(float((m > 0.5).mean()), 6))
        for i, (p, m) in enumerate(zip(result['prompts'], masks))
    ]
    _finish(out_dir, stem, request, files, prompts=prompts)


def _stem(image) -> str:
    return osp.splitext(osp.basename(image))[0]


def _finish(out_dir, stem, request, files, **found) -> None:
    """``NAME.json``, written last: it marks the image's outputs complete."""
    write_json_atomically(
        dict(image=request['image'], **found, files=files, request=request),
        osp.join(out_dir, f'{stem}.json'))


def outputs_complete(out_dir: str, request: dict) -> bool:
    """Whether an earlier run wrote this image's outputs for the same
    request (model, vocabulary or prompts, options) in full."""
    try:
        with open(osp.join(out_dir, _stem(request['image']) + '.json')) as f:
            found = json.load(f)
    except (OSError, ValueError):
        return False
    files = found.get('files') if isinstance(found, dict) else None
    return (isinstance(files, list) and found.get('request') == request
            and all(
                isinstance(name, str) and osp.isfile(osp.join(out_dir, name))
                for name in files))
