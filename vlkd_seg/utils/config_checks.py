"""Checks that turn common user mistakes into one-line errors."""
import difflib
import importlib
import inspect
import os.path as osp
from typing import Iterator, Optional, Tuple

from mmengine.config import Config, ConfigDict


class UserError(Exception):
    """A mistake in the user's input; tools print it as one line."""


def load_config(path: str, cfg_options: Optional[dict] = None) -> Config:
    """Load a config file and apply checked ``--cfg-options``.

    Args:
        path (str): Config file.
        cfg_options (dict, optional): ``{'a.b.c': value}`` overrides of keys
            that exist in the config (list items by index), or of arguments
            of the registered class that the parent dict builds.

    Returns:
        Config: The merged config.

    Raises:
        UserError: The file does not exist or an override names an unknown
            key.
    """
    if not osp.isfile(path):
        raise UserError(f'config file {path} does not exist; recipes live '
                        'under configs/ (e.g. configs/demo/).')
    cfg = Config.fromfile(path)
    if cfg_options:
        for key in cfg_options:
            _check_key(cfg, key, path)
        cfg.merge_from_dict(cfg_options)
    return cfg


def _check_key(cfg: Config, key: str, path: str) -> None:
    scope = cfg.get('default_scope', 'mmseg')
    node = cfg._cfg_dict
    parts = key.split('.')
    for depth, part in enumerate(parts):
        where = '.'.join(parts[:depth]) or 'the top level'
        if isinstance(node, (list, tuple)) and part.isdigit():
            if int(part) >= len(node):
                raise UserError(f'--cfg-options key {key!r}: {where} has '
                                f'only {len(node)} items in {path}.')
            node = node[int(part)]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        elif (isinstance(node, dict) and depth == len(parts) - 1
              and part in _accepted_args(node.get('type'), scope)):
            return  # a constructor argument the config leaves at default
        else:
            options = list(node) if isinstance(node, dict) else []
            if isinstance(node, dict):
                options += sorted(_accepted_args(node.get('type'), scope))
            hint = difflib.get_close_matches(part, options, n=1)
            suggestion = f" (did you mean '{hint[0]}'?)" if hint else ''
            raise UserError(
                f'--cfg-options key {key!r} does not exist: {where} of '
                f'{path} has no {part!r}{suggestion}.')


def _accepted_args(type_name, scope: str = 'mmseg') -> set:
    """Keyword arguments the registered class ``type_name`` accepts.

    Follows ``**kwargs`` up the class hierarchy to the first ``__init__``
    without them, so ``ResNetV1c`` accepts ``ResNet``'s arguments.
    """
    cls = _registered_class(type_name, scope)
    names: set = set()
    for klass in getattr(cls, '__mro__', ()):
        if '__init__' not in vars(klass):
            continue
        params = inspect.signature(vars(klass)['__init__']).parameters
        names.update(n for n, p in params.items()
                     if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY))
        if not any(p.kind == p.VAR_KEYWORD for p in params.values()):
            break
    names.discard('self')
    return names


def _registered_class(type_name, scope: str = 'mmseg'):
    """The class ``type_name`` names: looked up in ``scope``'s registries
    first, then in the other scope vlkd_seg registers into (a component
    built with an explicit scope, like the CLIP teacher of an mmpretrain
    recipe)."""
    if not isinstance(type_name, str):
        return type_name if inspect.isclass(type_name) else None
    if '.' in type_name:
        scope, type_name = type_name.split('.', 1)
    for scope in dict.fromkeys((scope, 'mmseg', 'mmpretrain')):
        registry = importlib.import_module(f'{scope}.registry')
        for name in ('MODELS', 'DATASETS', 'TRANSFORMS', 'METRICS', 'HOOKS',
                     'OPTIMIZERS', 'OPTIM_WRAPPERS', 'PARAM_SCHEDULERS',
                     'LOOPS', 'DATA_SAMPLERS', 'VISUALIZERS', 'VISBACKENDS'):
            cls = getattr(registry, name).get(type_name)
            if cls is not None:
                return cls
    return None


def iter_datasets(cfg: Config) -> Iterator[Tuple[str, ConfigDict, str]]:
    """Yield ``(dataloader name, dataset config, its config key)``,
    unwrapping wrappers (``ConcatDataset``, ``ClassSplitDataset``, ...)."""
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        dataset = (cfg.get(loader) or {}).get('dataset')
        stack = [(dataset, f'{loader}.dataset')] if dataset else []
        while stack:
            item, key = stack.pop()
            if 'datasets' in item:
                stack.extend((d, f'{key}.datasets.{i}')
                             for i, d in enumerate(item['datasets']))
            elif 'dataset' in item:
                stack.append((item['dataset'], f'{key}.dataset'))
            else:
                yield loader, item, key


def check_data_roots(cfg: Config, loaders: Tuple[str, ...]) -> None:
    """Raise :class:`UserError` if a dataset's ``data_root`` is missing.

    Args:
        cfg (Config): A full config.
        loaders (tuple[str]): The dataloaders that will run, e.g.
            ``('train_dataloader', 'val_dataloader')``.
    """
    for loader, dataset, key in iter_datasets(cfg):
        root = dataset.get('data_root')
        if loader in loaders and root and not osp.isdir(osp.expanduser(root)):
            hint = 'put the dataset there (README "Real weights and datasets")'
            if dataset.get('type') == 'SyntheticWorldDataset':
                hint = 'generate it with `python tools/generate_world.py`'
            elif root.rstrip('/').endswith('world_objects'):
                hint = 'write it with `python tools/world_classification.py`'
            raise UserError(
                f'data root {root} of {loader} does not exist; {hint} or '
                f'pass --cfg-options {key}.data_root=PATH.')


def _find(node, type_name: str) -> Iterator[dict]:
    """Every config dict under ``node`` whose ``type`` is ``type_name``."""
    if isinstance(node, dict):
        if node.get('type') == type_name:
            yield node
        for value in node.values():
            yield from _find(value, type_name)
    elif isinstance(node, (list, tuple)):
        for value in node:
            yield from _find(value, type_name)


def _built_parts(cfg: Config) -> list:
    """The parts of a config that the runner builds (not helper variables)."""
    return [
        cfg.get(key)
        for key in ('model', 'train_dataloader', 'val_dataloader',
                    'test_dataloader', 'val_evaluator', 'test_evaluator')
    ]


def dataset_classes(cfg: Config) -> Optional[Tuple[str, ...]]:
    """Class names of the config's evaluation (or training) dataset."""
    from mmseg.registry import DATASETS
    for _, dataset, _ in iter_datasets(cfg):
        classes = (dataset.get('metainfo') or {}).get('classes')
        dataset_cls = DATASETS.get(dataset.get('type', ''))
        if classes is None and dataset_cls is not None:
            classes = dataset_cls.METAINFO.get('classes')
        if classes is not None:
            return tuple(classes)
    return None


def check_zero_shot_setup(cfg: Config) -> None:
    """Check vocabularies and zero-shot splits before building.

    Raises:
        UserError: A class-name file of the wrong length, an unseen index
            out of range, or seen and unseen classes that overlap.
    """
    from vlkd_seg.datasets.vocabulary import load_class_names
    classes = dataset_classes(cfg)
    if classes is None:
        return
    names = (cfg.get('model') or {}).get('class_names')
    if names is not None:
        try:
            load_class_names(names, expected=len(classes))
        except (ValueError, FileNotFoundError) as err:
            raise UserError(f'model.class_names: {err} (the dataset has '
                            f'{len(classes)} classes)') from None
    for kind in ('ZeroShotLabels', 'ZeroShotIoUMetric'):
        for item in _find(_built_parts(cfg), kind):
            _check_indices(kind, item, len(classes))


def check_weight_files(cfg: Config) -> None:
    """Raise :class:`UserError` for weights that are missing or remote.

    Covers CLIP teacher checkpoints and ``init_cfg=dict(type='Pretrained')``
    files: nothing is downloaded at run time.
    """
    from vlkd_seg.models.teachers.clip_checkpoint import WEIGHTS_HINT
    for teacher in _find(cfg.get('model'), 'CLIPTeacher'):
        ckpt = teacher.get('checkpoint')
        if ckpt and not osp.isfile(osp.expanduser(ckpt)):
            raise UserError(f'teacher checkpoint {ckpt} does not exist. '
                            f'{WEIGHTS_HINT}')
    for init in _find(cfg.get('model'), 'Pretrained'):
        ckpt = str(init.get('checkpoint', ''))
        if '://' in ckpt:
            raise UserError(f'init_cfg checkpoint {ckpt} would be downloaded'
                            '; fetch it once elsewhere and point init_cfg at '
                            'the local file.')
        if ckpt and not osp.isfile(osp.expanduser(ckpt)):
            raise UserError(
                f'pretrained weights {ckpt} do not exist; put the file there '
                '(README "Real weights and datasets") or pass --cfg-options '
                '...init_cfg.checkpoint=PATH.')


def _check_indices(kind: str, item: dict, num_classes: int) -> None:
    unseen = item.get('unseen_idx', [])
    if isinstance(unseen, str):
        return
    seen = item.get('seen_idx') or []
    for name, idx in (('unseen_idx', unseen), ('seen_idx', seen)):
        bad = [i for i in idx if not 0 <= int(i) < num_classes]
        if bad:
            raise UserError(f'{kind}.{name} has index {bad[0]}, outside the '
                            f'{num_classes} classes of the dataset')
    both = sorted(set(unseen) & set(seen))
    if both:
        raise UserError(f'{kind}: classes {both} are both seen and unseen')
