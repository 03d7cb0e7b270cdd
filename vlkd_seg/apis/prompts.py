"""Segment what you write or show: one mask per prompt (CLIPSeg)."""
import os.path as osp
from typing import List, Optional, Sequence, Tuple

import mmcv
import numpy as np
import torch
import torch.nn.functional as F
from mmengine.dataset import pseudo_collate
from torch import Tensor, nn

from vlkd_seg.utils import ConfigError, MissingFileError
from .inference import ImageInput, _load, expand_inputs

#: A support image and the mask of what to find, as paths or arrays.
ImagePrompt = Tuple[ImageInput, ImageInput]


def segment_prompts(
    model: nn.Module,
    inputs,
    prompts: Sequence[str] = (),
    image_prompts: Sequence[ImagePrompt] = ()
) -> List[dict]:
    """One probability map per prompt and image.

    Args:
        model (nn.Module): A CLIPSeg from :func:`init_segmenter`.
        inputs: Image paths, folders or BGR arrays (see ``segment``).
        prompts (Sequence[str]): Phrases ("the red kite on the left").
        image_prompts (Sequence[tuple]): ``(image, mask)`` pairs: a support
            image and a mask of the same size, nonzero on the example.

    Returns:
        list[dict]: Per image, ``img_path`` (None for arrays), ``prompts``
        (the phrases, then ``'image: NAME'`` per image prompt) and
        ``masks`` ``(P, H, W)`` probabilities at the image's size.
    """
    names, text = encode_prompts(model, prompts, image_prompts)
    pipelines = {}  # one test pipeline per input kind, built once
    return [
        prompt_masks(model, image, names, text, pipelines)
        for image in expand_inputs(inputs)
    ]


def encode_prompts(
    model: nn.Module,
    prompts: Sequence[str] = (),
    image_prompts: Sequence[ImagePrompt] = ()
) -> Tuple[List[str], Tensor]:
    """The prompts' names and ``(P, D)`` embeddings, computed once for any
    number of images (see :func:`segment_prompts`)."""
    if not hasattr(model, 'prompt_logits'):
        raise ConfigError(
            f'{type(model).__name__} answers a vocabulary, not prompts: '
            'use a CLIPSeg config (configs/clipseg/) for --prompt')
    if not prompts and not image_prompts:
        raise ConfigError('no prompt: give phrases (--prompt "a red ring") '
                          'or --prompt-image IMG --prompt-mask MASK')
    pipelines = {}
    embeddings = [model.encode_text(prompts)] if prompts else []
    embeddings += [
        _image_prompt(model, *pair, pipelines) for pair in image_prompts
    ]
    names = list(prompts) + [
        f'image: {_name(image)}' for image, _ in image_prompts
    ]
    return names, torch.cat(embeddings)


def prompt_masks(model: nn.Module,
                 image: ImageInput,
                 names: List[str],
                 text: Tensor,
                 pipelines: Optional[dict] = None) -> dict:
    """One image's result of :func:`segment_prompts`, from the prompts
    :func:`encode_prompts` gave (``pipelines``: a dict to reuse the test
    pipelines it builds)."""
    return dict(
        img_path=None if isinstance(image, np.ndarray) else image,
        prompts=names,
        masks=_masks(model, image, text,
                     {} if pipelines is None else pipelines))


def _preprocess(model: nn.Module, image: ImageInput,
                pipelines: dict) -> Tuple[Tensor, dict]:
    """The model's input ``(1, 3, H, W)`` of one image and its metainfo."""
    data = model.data_preprocessor(
        pseudo_collate([_load(image, pipelines, model.cfg)]), False)
    return data['inputs'], data['data_samples'][0].metainfo


@torch.no_grad()
def _masks(model: nn.Module, image: ImageInput, text: Tensor,
           pipelines: dict) -> Tensor:
    inputs, meta = _preprocess(model, image, pipelines)
    logits = model.prompt_logits(inputs, text)
    logits = F.interpolate(
        logits, size=inputs.shape[-2:], mode='bilinear', align_corners=False)
    h, w = meta['img_shape']
    return F.interpolate(
        logits[..., :h, :w],
        size=meta['ori_shape'],
        mode='bilinear',
        align_corners=False)[0].sigmoid()


@torch.no_grad()
def _image_prompt(model: nn.Module, image: ImageInput, mask: ImageInput,
                  pipelines: dict) -> Tensor:
    """``(1, D)`` the embedding of a support image and its mask."""
    array, region = _read(image, 'color'), _read(mask, 'grayscale') > 0
    if array.shape[:2] != region.shape[:2]:
        raise ConfigError(
            f'prompt mask {_name(mask)} is {region.shape[1]}x'
            f'{region.shape[0]} but its image {_name(image)} is '
            f'{array.shape[1]}x{array.shape[0]}: give a mask of the same size')
    if not region.any():
        raise ConfigError(f'prompt mask {_name(mask)} is empty: mark the '
                          'example with nonzero pixels')
    inputs, meta = _preprocess(model, array, pipelines)
    region = torch.from_numpy(region).to(inputs)[None, None]
    region = F.interpolate(region, size=meta['img_shape'], mode='nearest')
    region = F.pad(region, (0, inputs.shape[-1] - region.shape[-1], 0,
                            inputs.shape[-2] - region.shape[-2]))
    return model.encode_image(inputs, region)


def _read(item: ImageInput, flag: str) -> np.ndarray:
    if isinstance(item, np.ndarray):
        return item if flag == 'color' or item.ndim == 2 else item[..., 0]
    if not osp.isfile(item):
        raise MissingFileError(f'prompt image {item} does not exist')
    array = mmcv.imread(item, flag=flag)
    if array is None:
        raise ConfigError(f'cannot read prompt image {item}')
    return array


def _name(item: ImageInput) -> str:
    return 'an array' if isinstance(item, np.ndarray) else osp.basename(item)
