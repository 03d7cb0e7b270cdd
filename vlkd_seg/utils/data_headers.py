"""The whole-dataset pre-flight: every image and label map of a
segmentation dataset exists, opens and fits its image, read from the file
headers only (PIL opens lazily), so 10,000 samples take seconds.

A mistake found here would otherwise stop a run mid-way (a label map of
another size, a colour label map, an image without its label map, an empty
file) or drop samples silently (``.PNG`` images of a ``.png`` dataset).
"""
import os
import os.path as osp
from typing import Iterator, Optional, Tuple

from PIL import Image, UnidentifiedImageError

from .errors import ConfigError

# label-map modes of one channel: class indices (P: indices with a palette)
_LABEL_MODES = ('L', 'P', 'I', 'I;16', 'I;16B', 'I;16L')


def check_sample_files(dataset, key: str) -> None:
    """Raise :class:`ConfigError` naming the first sample file that cannot
    be used, and the fix.

    Args:
        dataset: A built mmseg ``BaseSegDataset`` (others are skipped:
            wrappers are unwrapped, a dataset of prompts has its own
            reader).
        key (str): Its config key, for the message.
    """
    for seg_dataset in _seg_datasets(dataset):
        _check_suffix_case(seg_dataset, key)
        for i in range(len(seg_dataset)):
            info = seg_dataset.get_data_info(i)
            size, _ = _header(info['img_path'], key, 'image')
            label = info.get('seg_map_path')
            if label:
                _check_label_map(label, size, info['img_path'], key)


def _seg_datasets(dataset) -> Iterator:
    from mmseg.datasets import BaseSegDataset
    if isinstance(dataset, BaseSegDataset):
        if not dataset.metainfo.get('prompted'):
            yield dataset
        return
    wrapped = getattr(dataset, 'datasets',
                      None) or [getattr(dataset, 'dataset', None)]
    for inner in wrapped:
        if inner is not None:
            yield from _seg_datasets(inner)


def _header(path: str, key: str, what: str) -> Tuple[Tuple[int, int], str]:
    """``((width, height), mode)`` from the header of ``path``."""
    if not osp.isfile(path):
        raise ConfigError(
            f'{what} {path} ({key}) does not exist: every image needs its '
            'label map under the dataset\'s seg_map_path with '
            'seg_map_suffix (and every listed sample its files)')
    try:
        with Image.open(path) as image:
            return image.size, image.mode
    except (UnidentifiedImageError, OSError) as err:
        raise ConfigError(
            f'{what} {path} ({key}) cannot be opened as an image '
            f'({type(err).__name__}: {err}); replace or remove it'
            f'{" (it is empty)" if osp.getsize(path) == 0 else ""}') from None


def _check_label_map(path: str, size: Tuple[int, int], image: str,
                     key: str) -> None:
    label_size, mode = _header(path, key, 'label map')
    if mode not in _LABEL_MODES:
        raise ConfigError(
            f'label map {path} ({key}) is saved as colour ({mode}): label '
            'maps hold one class index per pixel; save it single-channel '
            '(mode L, or P with a palette) with the indices as values')
    if label_size != size:
        raise ConfigError(
            f'label map {path} is {label_size[0]}x{label_size[1]} but its '
            f'image {image} is {size[0]}x{size[1]} ({key}): a label map '
            'must have its image\'s size')


def _check_suffix_case(dataset, key: str) -> None:
    """Images whose suffix differs from ``img_suffix`` only in case, which
    mmseg's listing leaves out without a word."""
    folder = (dataset.data_prefix or {}).get('img_path')
    suffix = getattr(dataset, 'img_suffix', None)
    if dataset.ann_file or not folder or not suffix or not osp.isdir(folder):
        return
    other = _first_other_case(folder, suffix)
    if other:
        raise ConfigError(
            f'{other} ({key}) ends in {osp.splitext(other)[1]!r} but the '
            f'dataset looks for {suffix!r}, and leaves it out: rename the '
            f'images or set img_suffix={osp.splitext(other)[1]!r}')


def _first_other_case(folder: str, suffix: str) -> Optional[str]:
    for root, _, names in os.walk(folder):
        for name in sorted(names):
            if name.lower().endswith(suffix.lower()) and \
                    not name.endswith(suffix):
                return osp.join(root, name)
    return None
