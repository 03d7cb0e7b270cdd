"""Contrastive pretraining of a small CLIP on the synthetic world's captions.

The embedded stand-in for a real CLIP: it sees every class, but only at
image level (captions such as "a photo of a disc and a star."), never a
pixel label. MaskCLIP then reads dense knowledge out of it.
"""
import json
import math
import os.path as osp
import time
import warnings
from typing import Callable, Optional

import numpy as np
import open_clip
import torch
from PIL import Image

from vlkd_seg.models.teachers.clip_checkpoint import (create_clip,
                                                      load_clip_weights,
                                                      load_state_dict,
                                                      open_clip_name)
from vlkd_seg.models.teachers.preprocess import (clip_input_size,
                                                 clip_preprocess)
from vlkd_seg.utils.io import save_atomically


def load_split(world_root: str, split: str = 'train'):
    """Images ``(N, 3, H, W)`` uint8 and captions of one world split."""
    with open(osp.join(world_root, 'captions', split + '.json')) as f:
        captions = json.load(f)
    names = sorted(captions)
    images = np.stack([
        np.asarray(
            Image.open(osp.join(world_root, 'img_dir', split,
                                n + '.png')).convert('RGB')) for n in names
    ])
    return torch.from_numpy(images).permute(0, 3, 1,
                                            2), [captions[n] for n in names]


def pretrain_world_clip(world_root: str,
                        model_config: str,
                        out: str,
                        steps: int = 500,
                        batch_size: int = 64,
                        lr: float = 1e-3,
                        seed: int = 0,
                        log: Optional[Callable[[str], None]] = print) -> str:
    """Train a CLIP from scratch on the world captions; save its weights.

    Args:
        world_root (str): A folder written by ``generate_world``.
        model_config (str): open_clip JSON model config.
        out (str): Output state-dict file (written atomically).
        steps (int): Optimisation steps (AdamW, cosine schedule).
        batch_size (int): Images per step.
        lr (float): Peak learning rate.
        seed (int): Seed of initialisation and batch order.
        log (callable, optional): Progress messages.

    Returns:
        str: ``out``.
    """
    torch.manual_seed(seed)
    model = create_clip(model_config)
    size = clip_input_size(model)
    tokenizer = open_clip.get_tokenizer(open_clip_name(model_config))
    images, captions = load_split(world_root, 'train')
    tokens = tokenizer(captions)
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.1)
    warmup = max(steps // 10, 1)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warmup, 0.5 *
                                 (1 + math.cos(math.pi * s / steps))))
    criterion = open_clip.ClipLoss()
    generator = torch.Generator().manual_seed(seed)
    model.train()
    start = time.time()
    for step in range(steps):
        idx = torch.randint(len(images), (batch_size, ), generator=generator)
        x = images[idx]
        flip = torch.rand(batch_size, generator=generator) < 0.5
        x[flip] = x[flip].flip(-1)
        img, txt, scale = model(clip_preprocess(x, size), tokens[idx])[:3]
        loss = criterion(img, txt, scale)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        schedule.step()
        if log and ((step + 1) % 50 == 0 or step + 1 == steps):
            log(f'[world clip] step {step + 1}/{steps} loss {loss.item():.3f}'
                f' ({time.time() - start:.0f}s)')
    save_atomically(model.state_dict(), out)
    return out


def ensure_world_clip(world_root: str,
                      model_config: str,
                      checkpoint: str,
                      steps: int = 500,
                      **kwargs) -> str:
    """Reuse the cached world CLIP, or (re)train it.

    A cached checkpoint that cannot be read or does not fit the
    architecture is rebuilt with a warning instead of failing the run.

    Returns:
        str: ``checkpoint``.
    """
    checkpoint = osp.expanduser(checkpoint)
    if osp.isfile(checkpoint):
        try:
            state, _ = load_state_dict(checkpoint)
            load_clip_weights(create_clip(model_config), state, checkpoint)
            return checkpoint
        except ValueError as err:
            warnings.warn(f'cached world CLIP {checkpoint} is unusable '
                          f'({str(err)[:120]}...); training it again')
    return pretrain_world_clip(world_root, model_config, checkpoint, steps,
                               **kwargs)
