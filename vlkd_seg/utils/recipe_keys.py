"""A recipe names its dataset once: ``data_root``, ``class_names``,
``unseen_idx`` and (image-level recipes) ``class_split`` at the top level
of the config.

mmengine resolves ``{{_base_.x}}`` while it reads a base, so a value a
recipe sets at its top level never reaches the pipelines, metrics and model
its bases declared. Instead the bases leave these arguments out, and
:func:`bind_recipe_keys` (run by :func:`~vlkd_seg.utils.load_config`, hence
by every tool, the inference API and the tests) fills each part that
leaves one out (or sets it to None) with the top-level value. A part that
sets its own value keeps it: e.g. the annotation-free pipeline's
``unseen_idx='all'`` or a release recipe's own vocabulary.
"""
from typing import Iterator

from mmengine.config import Config

from .config_nodes import find_type, iter_datasets
from .errors import ConfigError
from .vocabulary import load_class_names

#: top-level key -> the registered types that take it from there
RECIPE_KEYS = {
    'unseen_idx':
    ('ZeroShotLabels', 'ZeroShotIoUMetric', 'PseudoLabelDistiller'),
    'class_names':
    ('PseudoLabelDistiller', 'ImageTagDistiller', 'MaskCLIPSegmentor'),
    'class_split':
    ('ClassSplitDataset', 'VLDistillMetric', 'VLDistillClassifier'),
}


def bind_recipe_keys(cfg: Config) -> Config:
    """Fill the parts of ``cfg`` that leave a recipe key to the recipe.

    ``unseen_idx``, ``class_names`` and ``class_split`` go to the types of
    :data:`RECIPE_KEYS`; ``data_root`` to every dataset without one;
    ``class_names`` also becomes the ``metainfo.classes`` of a dataset
    whose class declares no classes of its own (e.g. ``BaseSegDataset``).

    Args:
        cfg (Config): A merged config; changed in place.

    Returns:
        Config: ``cfg``.
    """
    for key, types in RECIPE_KEYS.items():
        if cfg.get(key) is None:
            continue
        for type_name in types:
            for node in _parts(cfg, type_name):
                if node.get(key) is None:
                    node[key] = cfg[key]
    for _, dataset, _ in iter_datasets(cfg):
        if dataset.get('data_root') is None and cfg.get('data_root'):
            dataset['data_root'] = cfg['data_root']
        if cfg.get('class_names') is not None and _needs_classes(dataset):
            dataset['metainfo'] = dict(
                dataset.get('metainfo') or {},
                classes=tuple(load_class_names(cfg['class_names'])))
    return cfg


def _parts(cfg: Config, type_name: str) -> Iterator[dict]:
    for key in ('model', 'train_dataloader', 'val_dataloader',
                'test_dataloader', 'val_evaluator', 'test_evaluator'):
        yield from find_type(cfg.get(key), type_name)


def _needs_classes(dataset: dict) -> bool:
    """Whether a dataset config names no classes and its class has none."""
    from mmseg.registry import DATASETS
    if (dataset.get('metainfo') or {}).get('classes') is not None:
        return False
    dataset_cls = DATASETS.get(dataset.get('type', ''))
    return dataset_cls is not None and not getattr(dataset_cls, 'METAINFO',
                                                   {}).get('classes')


def require_recipe_key(value, key: str, owner: str):
    """``value``, or a :class:`ConfigError` saying where it comes from.

    Args:
        value: The argument a component received.
        key (str): Its recipe key (``'unseen_idx'``, ``'class_names'``,
            ``'class_split'``).
        owner (str): The component, for the message.
    """
    if value is None:
        raise ConfigError(
            f'{owner} got no {key}: set {key} at the top level of the recipe '
            'and load it with vlkd_seg.utils.load_config (the tools and '
            f'vlkd_seg.apis do), or pass {key} to {owner} directly.')
    return value
