"""Image-level VL distillation on the synthetic world (Li et al., 2023).

A student classifier (any mmpretrain backbone -> linear to the CLIP
dimension -> cosine against class texts, temperature 0.07) learns the
in-distribution (ID) object classes from single-object scenes, with or
without the teacher-alignment losses; it is then evaluated zero-shot on
the out-of-distribution (OOD) classes against their texts, and its space
alignment to the teacher is measured.
"""
import time
from typing import Callable, Dict, Optional, Sequence

import numpy as np
import torch
from mmpretrain.registry import MODELS as PRETRAIN_MODELS
from torch import nn

from vlkd_seg.classification import (clip_classification_loss,
                                     image_contrastive_loss, vl_proximal_loss)
from vlkd_seg.classification.vl_distill_metric import VLDistillMetric
from vlkd_seg.datasets.world_generator import make_scene
from vlkd_seg.models import CLIPTeacher
from .world_clip import clip_input_size, clip_preprocess

#: ID / OOD split of the world's objects (indices into WORLD_CLASSES)
WORLD_ID_CLASSES = (1, 3, 5, 6)  # disc, triangle, cross, star
WORLD_OOD_CLASSES = (2, 4, 7, 8)  # square, ring, diamond, bar


def single_object_scenes(count: int, classes: Sequence[int],
                         seed: int) -> Dict[str, torch.Tensor]:
    """``count`` scenes of one object each, labelled by its class."""
    images, labels = [], []
    rng = np.random.default_rng(seed)
    while len(images) < count:
        image, label = make_scene(int(rng.integers(2**31)), max_objects=1)
        present = set(np.unique(label)) - {0}
        if present and present <= set(classes):
            images.append(torch.from_numpy(image).permute(2, 0, 1))
            labels.append(present.pop())
    return dict(images=torch.stack(images), labels=torch.tensor(labels))


class StudentClassifier(nn.Module):
    """mmpretrain backbone -> global pool -> linear to the CLIP dimension."""

    def __init__(self, backbone: dict, in_channels: int, embed_dim: int):
        super().__init__()
        self.backbone = PRETRAIN_MODELS.build(backbone)
        self.proj = nn.Linear(in_channels, embed_dim)

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        """uint8 ``(N, 3, H, W)`` -> features ``(N, D)``."""
        x = clip_preprocess(images, images.shape[-1])
        return self.proj(self.backbone(x)[-1].mean((2, 3)))


def train_student(teacher: CLIPTeacher,
                  data: Dict[str, torch.Tensor],
                  text: torch.Tensor,
                  losses: Sequence[str] = ('cls', ),
                  steps: int = 300,
                  batch_size: int = 64,
                  lr: float = 2e-3,
                  k: int = 3,
                  seed: int = 0,
                  log: Optional[Callable[[str], None]] = print) -> nn.Module:
    """Train a student on the ID scenes with the chosen losses.

    Args:
        teacher (CLIPTeacher): Frozen teacher; its image features of the
            training set are computed once and reused.
        data (dict): ``images`` uint8 ``(N, 3, H, W)``, ``labels`` ``(N,)``
            as indices into ``text``.
        text (Tensor): Class texts ``(K, D)`` (ID classes only for
            training).
        losses (Sequence[str]): Any of ``'cls'``, ``'im-cst'``, ``'vlprox'``
            (weights 1, summed).
    """
    torch.manual_seed(seed)
    size = clip_input_size(teacher.clip)
    t_feats = torch.cat([
        teacher.encode_image(clip_preprocess(chunk, size))
        for chunk in data['images'].split(256)
    ])
    student = StudentClassifier(
        dict(type='ResNet', depth=18, base_channels=16, stem_channels=16), 128,
        teacher.embed_dim)
    optimizer = torch.optim.AdamW(
        student.parameters(), lr=lr, weight_decay=0.05)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, steps)
    generator = torch.Generator().manual_seed(seed)
    start = time.time()
    for step in range(steps):
        idx = torch.randint(
            len(data['labels']), (batch_size, ), generator=generator)
        feats = student(data['images'][idx])
        labels, target = data['labels'][idx], t_feats[idx]
        loss = clip_classification_loss(feats, text, labels) * ('cls'
                                                                in losses)
        if 'im-cst' in losses:
            loss = loss + image_contrastive_loss(feats, target)
        if 'vlprox' in losses:
            loss = loss + vl_proximal_loss(feats, target, text, labels, k=k)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        schedule.step()
        if log and (step + 1) % 100 == 0:
            log(f'[{"+".join(losses)}] step {step + 1}/{steps} loss '
                f'{loss.item():.3f} ({time.time() - start:.0f}s)')
    return student.eval()


@torch.no_grad()
def evaluate_student(student: nn.Module, teacher: CLIPTeacher,
                     data: Dict[str, torch.Tensor], text: torch.Tensor,
                     id_classes: Sequence[int],
                     ood_classes: Sequence[int]) -> Dict[str, float]:
    """ID / OOD accuracy and space alignment on held-out scenes."""
    size = clip_input_size(teacher.clip)
    metric = VLDistillMetric(
        text,
        id_classes,
        ood_classes,
        neigh_ks=(3, 5, 10),
        vlalign_ks=(2, 3, 5))
    s_feats = student(data['images'])
    t_feats = teacher.encode_image(clip_preprocess(data['images'], size))
    metric.process({}, [
        dict(student_feat=s, teacher_feat=t, gt_label=y)
        for s, t, y in zip(s_feats, t_feats, data['labels'])
    ])
    return metric.compute_metrics(metric.results)
