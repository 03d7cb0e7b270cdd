"""Teacher image features of a whole dataset split, computed once and cached.

The image-level distillation losses compare the student with the frozen
teacher's embedding of the same image. Running the teacher once per split
(on a deterministic view: resize + centre crop) and caching the result on
disk keeps training at the student's speed.
"""
import hashlib
import json
import os.path as osp
from typing import Callable, Optional, Sequence

import torch
from mmengine.dataset import Compose
from mmengine.logging import print_log
from torch import Tensor
from torch.utils.data import DataLoader, Dataset

from vlkd_seg.models.teachers import (CLIPTeacher, clip_input_size,
                                      clip_preprocess)
from vlkd_seg.utils.errors import ConfigError
from vlkd_seg.utils.io import cache_root, save_atomically


class _TeacherView(Dataset):
    """The samples of ``dataset`` through the teacher's own pipeline."""

    def __init__(self, dataset, pipeline: Sequence[dict], to_rgb: bool):
        self.dataset = dataset
        self.pipeline = Compose(pipeline)
        self.to_rgb = to_rgb

    def __len__(self) -> int:
        return len(self.dataset)

    def __getitem__(self, idx: int) -> Tensor:
        inputs = self.pipeline(self.dataset.get_data_info(idx))['inputs']
        if inputs.dtype != torch.uint8 or inputs.dim() != 3:
            raise ConfigError('the teacher pipeline must end in PackInputs '
                              'with a uint8 (3, H, W) image, got '
                              f'{inputs.dtype} {tuple(inputs.shape)}')
        return inputs.flip(0) if self.to_rgb else inputs


def dataset_fingerprint(dataset) -> str:
    """Hash of the sample list (paths and labels) of a dataset."""
    digest = hashlib.sha1()
    for idx in range(len(dataset)):
        info = dataset.get_data_info(idx)
        digest.update(
            f'{info.get("img_path")}|{info.get("gt_label")}\n'.encode())
    return digest.hexdigest()


def compute_teacher_features(
        teacher: CLIPTeacher,
        dataset,
        pipeline: Sequence[dict],
        batch_size: int = 64,
        num_workers: int = 0,
        to_rgb: bool = True,
        log: Optional[Callable[[str], None]] = None) -> Tensor:
    """Teacher embeddings ``(N, D)`` of every sample, in dataset order.

    Args:
        teacher (CLIPTeacher): The frozen teacher.
        dataset: Any mmengine dataset (``get_data_info``).
        pipeline (Sequence[dict]): Teacher view of a sample, ending in
            ``PackInputs`` (uint8 ``(3, H, W)``); resized to the teacher's
            input size if needed.
        to_rgb (bool): Flip BGR (``LoadImageFromFile``) to RGB.
        log (callable, optional): Called with progress messages.
    """
    loader = DataLoader(
        _TeacherView(dataset, pipeline, to_rgb),
        batch_size=batch_size,
        num_workers=num_workers)
    device = teacher.clip.logit_scale.device
    size = clip_input_size(teacher.clip)
    feats = []
    for step, images in enumerate(loader, 1):
        feats.append(
            teacher.encode_image(clip_preprocess(images.to(device),
                                                 size)).cpu())
        if log and (step % 50 == 0 or step == len(loader)):
            log(f'teacher features: {min(step * batch_size, len(dataset))}'
                f'/{len(dataset)}')
    return torch.cat(feats)


def cached_teacher_features(teacher: CLIPTeacher,
                            dataset,
                            pipeline: Sequence[dict],
                            cache_dir: Optional[str] = None,
                            **kwargs) -> Tensor:
    """:func:`compute_teacher_features`, cached on disk.

    The cache key covers the teacher's image-tower weights (hashed once
    per teacher), the teacher pipeline and the dataset's samples, so any
    change recomputes. A cache file that cannot be read is recomputed with
    a warning.

    Args:
        cache_dir (str, optional): Defaults to
            ``$VLKD_CACHE/teacher_features``.
        **kwargs: ``batch_size``, ``num_workers``, ``to_rgb``, ``log`` of
            :func:`compute_teacher_features`.
    """
    key = hashlib.sha1(
        json.dumps([
            teacher.model_name, teacher.precision,
            teacher.weights_hash('image'),
            json.dumps(list(pipeline), sort_keys=True, default=str),
            kwargs.get('to_rgb', True),
            dataset_fingerprint(dataset)
        ]).encode()).hexdigest()[:20]
    path = osp.join(
        cache_dir or osp.join(cache_root(), 'teacher_features'), f'{key}.pt')
    if osp.isfile(path):
        try:
            feats = torch.load(path, map_location='cpu', weights_only=True)
            if len(feats) == len(dataset):
                return feats
        except Exception as err:  # noqa: BLE001 - any unreadable cache
            print_log(
                f'ignoring unreadable teacher-feature cache {path}: '
                f'{err}',
                logger='current',
                level=30)
    feats = compute_teacher_features(teacher, dataset, pipeline, **kwargs)
    save_atomically(feats, path)
    return feats
