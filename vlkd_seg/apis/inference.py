"""Segment images with any vocabulary: build a model, name its classes, run
it on paths, arrays or folders."""
import copy
import glob
import os.path as osp
from typing import List, Optional, Sequence, Union

import numpy as np
import torch
from mmcv.transforms import Compose
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.registry import init_default_scope
from mmseg.structures import SegDataSample
from torch import nn

from vlkd_seg.utils import (TRAINING_FREE, ConfigError, MissingFileError,
                            load_config, load_trained_weights,
                            build_text_model, needs_checkpoint)
from vlkd_seg.utils.launch import torch_device
from vlkd_seg.utils.vocabulary import load_class_names
from .palette import class_palette

ImageInput = Union[str, np.ndarray]
IMAGE_SUFFIXES = ('.jpg', '.jpeg', '.png', '.bmp', '.tif', '.tiff', '.webp')


def init_segmenter(config: Union[str, Config],
                   checkpoint: Optional[str] = None,
                   device: str = 'cpu',
                   cfg_options: Optional[dict] = None) -> nn.Module:
    """The model of a config, with trained weights, ready to segment.

    Works for every model the configs build: the training-free
    ``MaskCLIPSegmentor`` and a CLIPSeg with published ``weights`` (no
    checkpoint needed), the distillers' MaskCLIP+ / LSeg students,
    ZegCLIP and trained CLIPSeg (their checkpoint, loaded strictly).

    Args:
        config (str | Config): Config file or object.
        checkpoint (str, optional): Weights written by ``tools/train.py``.
        device (str): ``'cpu'``, ``'cuda'`` or ``'cuda:N'``.
        cfg_options (dict, optional): Overrides, as ``--cfg-options``.

    Returns:
        nn.Module: The model in eval mode on ``device``, its config as
        ``model.cfg``, its vocabulary the config's.
    """
    if isinstance(config, str):
        cfg = load_config(config, cfg_options)
    else:
        cfg = copy.deepcopy(config)
        cfg.merge_from_dict(cfg_options or {})
    torch_device(device)
    init_default_scope(cfg.get('default_scope', 'mmseg'))
    model_type = cfg.model.get('type')
    if checkpoint is None and needs_checkpoint(cfg.model):
        raise ConfigError(
            f'the model ({model_type}) gets its weights from training: give '
            f'its checkpoint; only {", ".join(TRAINING_FREE)} and models '
            'with published weights (CLIPSeg weights=) need none.')
    model = build_text_model(cfg.model, 'segmenting with a vocabulary')
    if checkpoint is not None:
        load_trained_weights(model, checkpoint)
    model.cfg = cfg
    set_vocabulary(model, model.class_names)
    return model.to(device).eval()


def set_vocabulary(
        model: nn.Module,
        vocabulary: Union[str, Sequence[str]],
        descriptions: Optional[Union[str, Sequence[str]]] = None) -> List[str]:
    """Segment ``vocabulary`` from now on (the weights stay as they are).

    Args:
        model (nn.Module): From :func:`init_segmenter`.
        vocabulary (str | Sequence[str]): Class names, a text file with one
            per line, or a packaged vocabulary (``'voc20'``). Add a
            catch-all name (``'background'``, ``'other'``) to give pixels
            of no listed class somewhere to go.
        descriptions (str | Sequence[str], optional): One sentence per
            class appended to its prompts, or a file of them.

    Returns:
        list[str]: The class names, in label order.
    """
    names = load_class_names(vocabulary)
    if len(names) < 2:
        raise ConfigError(
            f'the vocabulary {names} has one class: every pixel would be '
            'it; add a catch-all class such as "background"')
    model.set_vocabulary(names, descriptions)
    model.dataset_meta = dict(
        classes=tuple(names), palette=class_palette(names))
    return names


def segment(model: nn.Module,
            inputs: Union[ImageInput, Sequence[ImageInput]],
            batch_size: int = 1) -> List[SegDataSample]:
    """Segment images with the model's current vocabulary.

    Args:
        model (nn.Module): From :func:`init_segmenter`.
        inputs: An image path, a folder of images, a BGR ``uint8``
            array ``(H, W, 3)`` (as ``mmcv.imread`` gives), or a list of
            these.
        batch_size (int): Images per forward pass.

    Returns:
        list[SegDataSample]: Per image, ``pred_sem_seg`` ``(1, H, W)``
        (indices into the vocabulary) and ``seg_logits`` ``(K, H, W)`` at
        the image's own size; ``img_path`` for images given by path.
    """
    images = expand_inputs(inputs)
    pipelines = {}
    results = []
    for start in range(0, len(images), batch_size):
        data = [
            _load(image, pipelines, model.cfg)
            for image in images[start:start + batch_size]
        ]
        with torch.no_grad():
            results.extend(model.test_step(pseudo_collate(data)))
    return results


def expand_inputs(
        inputs: Union[ImageInput, Sequence[ImageInput]]) -> List[ImageInput]:
    """Paths and arrays, with every folder replaced by its images (sorted).

    Raises:
        MissingFileError: A path that is neither a file nor a folder, or a
            folder without an image of a suffix it reads.
    """
    if isinstance(inputs, (str, np.ndarray)):
        inputs = [inputs]
    images: List[ImageInput] = []
    for item in inputs:
        if isinstance(item, np.ndarray):
            images.append(item)
        elif osp.isdir(item):
            images += _folder_images(item)
        elif osp.isfile(item):
            images.append(item)
        else:
            raise MissingFileError(f'image {item} does not exist')
    return images


def _folder_images(folder: str) -> List[str]:
    """The images of a folder, sorted; none is a :class:`MissingFileError`
    naming the file types it holds instead."""
    files = sorted(glob.glob(osp.join(folder, '*')))
    images = [p for p in files if p.lower().endswith(IMAGE_SUFFIXES)]
    if not images:
        others = sorted({osp.splitext(p)[1] for p in files} - {''})
        found = f'; its {", ".join(others)} files are not read: convert ' \
            'them' if others else ''
        raise MissingFileError(f'folder {folder} holds no image it reads '
                               f'({", ".join(IMAGE_SUFFIXES)}){found}')
    return images


def _test_pipeline(cfg: Config, from_array: bool) -> Compose:
    """The config's test pipeline without its annotations (the one
    ``tools/test.py`` runs), reading arrays when asked."""
    steps = [
        dict(step) for step in cfg.test_dataloader.dataset.pipeline
        if step['type'] != 'LoadAnnotations'
    ]
    if from_array:
        steps[0] = dict(type='LoadImageFromNDArray')
    return Compose(steps)


def _load(image: ImageInput, pipelines: dict, cfg: Config) -> dict:
    from_array = isinstance(image, np.ndarray)
    if from_array not in pipelines:
        pipelines[from_array] = _test_pipeline(cfg, from_array)
    data = dict(img=image) if from_array else dict(img_path=image)
    try:
        return pipelines[from_array](data)
    except Exception as err:  # an image the user gave: say which
        what = 'an array' if from_array else image
        raise ConfigError(f'cannot read image {what}: '
                          f'{type(err).__name__}: {err}') from err
