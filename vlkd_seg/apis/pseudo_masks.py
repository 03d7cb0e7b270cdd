"""An image-tag recipe's pseudo-masks: written once per training image and
scored against the true masks (CLIP-ES's "pseudo mask quality")."""
import copy
import json
import os.path as osp
from typing import Dict, Iterable

import numpy as np
import torch
from mmengine.registry import init_default_scope
from mmengine.runner import Runner
from mmseg.registry import MODELS
from PIL import Image
from torch.utils.data import DataLoader

from vlkd_seg.datasets import TAG_META_KEYS
from vlkd_seg.utils.errors import ConfigError
from vlkd_seg.utils.io import save_image_atomically, write_json_atomically
from vlkd_seg.utils.launch import replace_sync_bn

_KEEP = ('LoadImageFromFile', 'LoadAnnotations', 'ImageTags')


def pseudo_mask_loader(cfg, batch_size: int = 1) -> DataLoader:
    """The recipe's training images in order, unaugmented, with their tags
    (and their true masks where the dataset has them).

    Args:
        cfg (Config): An image-tag recipe (``ImageTags`` in its train
            pipeline).
        batch_size (int): Images per batch; more than 1 only where every
            image has the same size.

    Returns:
        DataLoader: Unshuffled batches.
    """
    loader = copy.deepcopy(cfg.train_dataloader)
    dataset = loader.dataset
    steps = [t for t in dataset.pipeline if t['type'] in _KEEP]
    if not any(t['type'] == 'ImageTags' for t in steps):
        raise ConfigError('pseudo-masks come from image tags: this recipe\'s '
                          'train pipeline has no ImageTags')
    dataset.pipeline = [
        dict(t, hide_pixels=False) if t['type'] == 'ImageTags' else t
        for t in steps
    ] + [dict(type='PackSegInputs', meta_keys=TAG_META_KEYS)]
    loader.update(
        batch_size=batch_size,
        num_workers=0,
        persistent_workers=False,
        sampler=dict(type='DefaultSampler', shuffle=False))
    init_default_scope(cfg.get('default_scope', 'mmseg'))
    return Runner.build_dataloader(loader)


def build_tag_model(cfg, device: str = 'cpu', no_threshold: bool = False):
    """The recipe's distiller (image tags, a ``TeacherLabeller``) in eval
    mode.

    Args:
        cfg (Config): The recipe.
        device (str): Where it runs.
        no_threshold (bool): Label every pixel (``confidence_thresh=0``),
            as pseudo-mask quality is scored.
    """
    init_default_scope(cfg.get('default_scope', 'mmseg'))
    model_cfg = replace_sync_bn(copy.deepcopy(cfg.model))
    if no_threshold:
        model_cfg['confidence_thresh'] = 0.
    model = MODELS.build(model_cfg)
    if not getattr(model, 'image_tags', False):
        raise ConfigError(f'{type(model).__name__} makes no pseudo-masks '
                          'from image tags: use an image-tag recipe '
                          '(a distiller with image_tags=True)')
    return model.to(device).eval()


def _stem(sample) -> str:
    return osp.splitext(osp.basename(sample.metainfo['img_path']))[0]


def _check_folder(out_dir: str, key: Dict) -> None:
    """The folder's masks must come from the same teacher and settings."""
    meta = osp.join(out_dir, 'pseudo_masks.json')
    if osp.isfile(meta):
        with open(meta) as f:
            found = json.load(f)
        if found != key:
            raise ConfigError(
                f'{out_dir} holds pseudo-masks of another teacher or other '
                f'settings ({found}); choose another folder or empty it')
    else:
        write_json_atomically(key, meta)


@torch.no_grad()
def write_pseudo_masks(model,
                       dataloader: Iterable,
                       out_dir: str,
                       log_every: int = 500) -> int:
    """Write ``out_dir/NAME.png`` (uint8 class ids, 255 ignored) for every
    image not already there.

    Args:
        model (PseudoLabelDistiller): An image-tag distiller in eval mode.
        dataloader: From :func:`pseudo_mask_loader`.
        out_dir (str): Output folder; ``pseudo_masks.json`` there records
            the teacher's image-tower hash and the pseudo-label settings,
            so a folder is never filled from two teachers.
        log_every (int): Progress line every this many images.

    Returns:
        int: Masks written (images already in the folder are skipped).
    """
    _check_folder(out_dir, model.pseudo_label_key())
    written = seen = 0
    for data in dataloader:
        paths = [
            osp.join(out_dir,
                     _stem(s) + '.png') for s in data['data_samples']
        ]
        seen += len(paths)
        if not all(osp.isfile(p) for p in paths):
            data = model.data_preprocessor(data, False)
            labels = model.teacher_pseudo_labels(data['inputs'],
                                                 data['data_samples'])
            for path, label in zip(paths, labels.cpu().numpy()):
                if not osp.isfile(path):
                    save_image_atomically(label[0].astype(np.uint8), path)
                    written += 1
        if log_every and seen % log_every < len(paths):
            print(f'[pseudo-masks] {seen} images, {written} new', flush=True)
    return written


def score_pseudo_masks(out_dir: str, dataloader: Iterable,
                       class_names) -> Dict:
    """IoU of the masks in ``out_dir`` against the true masks.

    Pixels the masks ignore (255) count as wrong, as in CLIP-ES's scoring
    of thresholded masks; pixels the truth ignores are left out.

    Returns:
        dict: ``mIoU`` (%, over classes present in either), ``IoU`` per
        class name, ``ignored`` (share of scored pixels left at 255),
        ``images``.
    """
    k = len(class_names)
    inter, union = np.zeros(k), np.zeros(k)
    ignored = total = images = 0
    for sample in (s for data in dataloader for s in data['data_samples']):
        path = osp.join(out_dir, _stem(sample) + '.png')
        if not osp.isfile(path):
            raise ConfigError(f'no pseudo-mask {path}: write them first')
        pred = np.asarray(Image.open(path)).astype(np.int64)
        gt = sample.gt_sem_seg.data[0].numpy().astype(np.int64)
        if pred.shape != gt.shape:
            raise ConfigError(f'{path} is {pred.shape}, its image\'s mask '
                              f'{gt.shape}')
        valid = gt != 255
        ignored += int((pred[valid] == 255).sum())
        total += int(valid.sum())
        images += 1
        for c in range(k):
            p, g = (pred == c) & valid, (gt == c) & valid
            inter[c] += (p & g).sum()
            union[c] += (p | g).sum()
    present = union > 0
    iou = np.where(present, inter / np.maximum(union, 1), np.nan)
    return dict(
        mIoU=float(np.nanmean(iou) * 100),
        IoU={
            n: float(v * 100)
            for n, v in zip(class_names, iou) if not np.isnan(v)
        },
        ignored=ignored / max(total, 1),
        images=images)
