"""Checks that turn common user mistakes into one-line errors."""
import difflib
import importlib
import inspect
import os.path as osp
from typing import Iterator, Optional, Tuple

from mmengine.config import Config, ConfigDict

from .errors import WEIGHTS_HINT, ConfigError, MissingFileError, UserError


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
        raise MissingFileError(f'config file {path} does not exist; recipes '
                               'live under configs/ (e.g. configs/demo/).')
    try:
        cfg = Config.fromfile(path)
    except Exception as err:  # the file is the user's: any failure is theirs
        detail = str(err).strip().splitlines()[-1] if str(err).strip() \
            else ''
        raise ConfigError(f'cannot read config {path}: '
                          f'{type(err).__name__}: {detail}') from err
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


_REGISTRIES = ('MODELS', 'DATASETS', 'TRANSFORMS', 'METRICS', 'HOOKS',
               'OPTIMIZERS', 'OPTIM_WRAPPERS', 'PARAM_SCHEDULERS', 'LOOPS',
               'DATA_SAMPLERS', 'VISUALIZERS', 'VISBACKENDS',
               'WEIGHT_INITIALIZERS', 'TASK_UTILS')


def _scope_registries(type_name: str, scope: str):
    """``(bare type name, registries to look in)``: those of the type's own
    scope prefix, or of ``scope``, then of the scopes vlkd_seg registers
    into (a component built with an explicit scope, like the CLIP teacher
    of an mmpretrain recipe)."""
    if '.' in type_name:
        scope, type_name = type_name.split('.', 1)
    registries = []
    for name in dict.fromkeys((scope, 'mmseg', 'mmpretrain')):
        try:
            module = importlib.import_module(f'{name}.registry')
        except ImportError:
            continue
        registries += [getattr(module, r) for r in _REGISTRIES]
    return type_name, registries


def _registered_class(type_name, scope: str = 'mmseg'):
    """The class (or function) ``type_name`` names in the registries of
    ``scope`` and of vlkd_seg's scopes; None if none has it."""
    if not isinstance(type_name, str):
        return type_name if callable(type_name) else None
    type_name, registries = _scope_registries(type_name, scope)
    for registry in registries:
        cls = registry.get(type_name)
        if cls is not None:
            return cls
    return None


def _registered_names(scope: str) -> set:
    """Every name registered in the registries :func:`_registered_class`
    searches (with their parents)."""
    names: set = set()
    for registry in _scope_registries('', scope)[1]:
        while registry is not None:
            names.update(registry.module_dict)
            registry = registry.parent
    return names


def _typed_nodes(node, key: str) -> Iterator[Tuple[str, dict]]:
    """``(config key, dict)`` of every dict with a ``type`` under ``node``;
    ``init_cfg`` subtrees are left out (initialisers, not components)."""
    if isinstance(node, dict):
        if 'type' in node:
            yield key, node
        for name, value in node.items():
            if name != 'init_cfg':
                yield from _typed_nodes(value, f'{key}.{name}')
    elif isinstance(node, (list, tuple)):
        for i, value in enumerate(node):
            yield from _typed_nodes(value, f'{key}.{i}')


def check_registered_types(cfg: Config) -> None:
    """Raise :class:`ConfigError` for a ``type`` no registry knows.

    Covers the model, the datasets and their pipelines, the evaluators and
    the hooks: a misspelt type is found before anything is built, with the
    closest registered name.
    """
    scope = cfg.get('default_scope', 'mmseg')
    known = None
    for key in ('model', 'train_dataloader', 'val_dataloader',
                'test_dataloader', 'val_evaluator', 'test_evaluator',
                'default_hooks', 'custom_hooks'):
        for where, node in _typed_nodes(cfg.get(key), key):
            type_name = node['type']
            if _registered_class(type_name, scope) is not None:
                continue
            if known is None:
                known = _registered_names(scope)
            hint = difflib.get_close_matches(
                str(type_name).split('.')[-1], known, n=1)
            suggestion = f" (did you mean '{hint[0]}'?)" if hint else ''
            raise ConfigError(
                f'{where}.type {type_name!r} is not a registered component'
                f'{suggestion}; fix the name, or import the module that '
                'registers it with custom_imports.')


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
    """Raise :class:`UserError` if a dataset's ``data_root`` is missing;
    the config's ``missing_data_hint`` says how to make it, if it has one.

    Args:
        cfg (Config): A full config.
        loaders (tuple[str]): The dataloaders that will run, e.g.
            ``('train_dataloader', 'val_dataloader')``.
    """
    for loader, dataset, key in iter_datasets(cfg):
        root = dataset.get('data_root')
        if loader in loaders and root and not osp.isdir(osp.expanduser(root)):
            hint = cfg.get(
                'missing_data_hint',
                'put the dataset there (README "Real weights and datasets")')
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
    from .vocabulary import load_class_names
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
    check_unseen_agreement(cfg)


def _unseen_sources(cfg: Config) -> Iterator[Tuple[str, object]]:
    """``(config key, unseen_idx)`` of the model, of every ZeroShotLabels
    of the training data and of every ZeroShotIoUMetric."""
    model = cfg.get('model') or {}
    if 'unseen_idx' in model:
        yield 'model.unseen_idx', model['unseen_idx']
    for key in ('train_dataloader', 'val_evaluator', 'test_evaluator'):
        for where, node in _typed_nodes(cfg.get(key), key):
            if node['type'] in ('ZeroShotLabels', 'ZeroShotIoUMetric'):
                yield f'{where}.unseen_idx', node.get('unseen_idx')


def check_unseen_agreement(cfg: Config) -> None:
    """Raise :class:`ConfigError` unless the model, the training pipeline
    and the metrics name the same unseen classes.

    The model and the pipeline must agree exactly (``'all'`` in the
    annotation-free setting, ``[]`` for a fully supervised oracle); the
    metrics agree with each other and, in the zero-shot setting, with the
    model.
    """
    sources = [(k, v if isinstance(v, str) else sorted(int(i) for i in v))
               for k, v in _unseen_sources(cfg) if v is not None]
    training = [(k, v) for k, v in sources if 'evaluator' not in k]
    metrics = [(k, v) for k, v in sources if 'evaluator' in k]
    _agree(training)
    if training and training[0][1] not in ('all', []):
        metrics = training[:1] + metrics
    _agree(metrics)


def _agree(sources: list) -> None:
    for key, value in sources[1:]:
        first_key, first = sources[0]
        if value != first:
            raise ConfigError(
                f'{key} = {value!r} disagrees with {first_key} = {first!r}: '
                'a zero-shot run needs one unseen split; set each from the '
                'dataset base (unseen_idx={{_base_.unseen_idx}}).')


def check_weight_files(cfg: Config) -> None:
    """Raise :class:`UserError` for weights that are missing or remote; a
    missing teacher checkpoint's hint is the config's
    ``missing_weights_hint``, else how to fetch CLIP weights.

    Covers CLIP teacher checkpoints and ``init_cfg=dict(type='Pretrained')``
    files: nothing is downloaded at run time.
    """
    for teacher in _find(cfg.get('model'), 'CLIPTeacher'):
        ckpt = teacher.get('checkpoint')
        if ckpt and not osp.isfile(osp.expanduser(ckpt)):
            hint = cfg.get('missing_weights_hint', WEIGHTS_HINT)
            raise MissingFileError(
                f'teacher checkpoint {ckpt} does not exist. {hint}')
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
