"""Checks that turn common user mistakes into one-line errors."""
import difflib
import os.path as osp
from typing import Iterator, Optional, Tuple

from mmengine.config import Config

from .config_nodes import iter_datasets, typed_nodes
from .errors import ConfigError, MissingFileError, UserError
from .registry_checks import accepted_args
from .value_checks import leaves


def load_config(path: str, cfg_options: Optional[dict] = None) -> Config:
    """Load a config file (``mmengine.Config.fromfile``: the same config
    mmseg's tools read) and apply checked ``--cfg-options``.

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
    return apply_cfg_options(cfg, cfg_options, path)


def apply_cfg_options(cfg: Config, cfg_options: Optional[dict],
                      where: str) -> Config:
    """Merge checked ``--cfg-options`` into ``cfg`` (see
    :func:`load_config`); ``where`` names the config in messages."""
    for key in cfg_options or {}:
        _check_key(cfg, key, where)
    if cfg_options:
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
              and part in accepted_args(node.get('type'), scope)):
            return  # a constructor argument the config leaves at default
        else:
            options = list(node) if isinstance(node, dict) else []
            if isinstance(node, dict):
                options += sorted(accepted_args(node.get('type'), scope))
            hint = difflib.get_close_matches(
                part, options, n=1) or [
                    k for k, _ in leaves(cfg._cfg_dict.to_dict())
                    if k.endswith(f'.{key}')
                ][:1]
            suggestion = f" (did you mean '{hint[0]}'?)" if hint else ''
            raise UserError(
                f'--cfg-options key {key!r} does not exist: {where} of '
                f'{path} has no {part!r}{suggestion}.')


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


def dataset_classes(cfg: Config) -> Optional[Tuple[str, ...]]:
    """Class names of the config's evaluation (or training) dataset; a
    dataset of prompts (``PhraseMaskDataset``: each sample names its own
    phrase) has none a vocabulary must match. Several datasets in one
    label space (``UnifiedDataset``) have its ``classes`` (None when it
    merges them itself)."""
    from mmseg.registry import DATASETS
    from .vocabulary import load_class_names
    train = (cfg.get('train_dataloader') or {}).get('dataset') or {}
    if train.get('type') == 'UnifiedDataset':
        given = train.get('classes')
        return None if given is None else tuple(load_class_names(given))
    for _, dataset, _ in iter_datasets(cfg):
        classes = (dataset.get('metainfo') or {}).get('classes')
        dataset_cls = DATASETS.get(dataset.get('type', ''))
        if dataset_cls is not None and dataset_cls.METAINFO.get('prompted'):
            continue
        if classes is None and dataset_cls is not None:
            classes = dataset_cls.METAINFO.get('classes')
        if classes is not None:
            return tuple(classes)
    return None


def check_zero_shot_setup(cfg: Config) -> None:
    """Check vocabularies and zero-shot splits before building.

    Raises:
        UserError: A class-name file of the wrong length, an unseen index
            out of range, or splits that disagree.
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
    sources = list(_unseen_sources(cfg))
    for key, unseen in sources:
        _check_indices(key, unseen, len(classes))
    check_unseen_agreement(cfg)
    _check_seen(cfg, sources, len(classes))


def _check_seen(cfg: Config, sources: list, num_classes: int) -> None:
    """A metric's ``seen_idx`` lies in the classes, apart from the split."""
    unseen = [
        set(v) for k, v in sources
        if not k.startswith('model.') and not isinstance(v, str)
    ]
    for key in ('val_evaluator', 'test_evaluator'):
        for where, node in typed_nodes(cfg.get(key), key):
            seen = node.get(
                'seen_idx') if node['type'] == 'ZeroShotIoUMetric' else None
            if not seen:
                continue
            _check_indices(f'{where}.seen_idx', seen, num_classes)
            both = sorted(set(seen) & set().union(*unseen))
            if both:
                raise UserError(f'{where}: classes {both} are both seen and '
                                'unseen')


def _unseen_sources(cfg: Config) -> Iterator[Tuple[str, object]]:
    """``(config key, unseen_idx)`` of the model, of every dataset's
    metainfo and of every ZeroShotIoUMetric that names one."""
    model = cfg.get('model') or {}
    if model.get('unseen_idx') is not None:
        yield 'model.unseen_idx', model['unseen_idx']
    for _, dataset, key in iter_datasets(cfg):
        unseen = (dataset.get('metainfo') or {}).get('unseen_idx')
        if unseen is not None:
            yield f'{key}.metainfo.unseen_idx', unseen
    for key in ('val_evaluator', 'test_evaluator'):
        for where, node in typed_nodes(cfg.get(key), key):
            if node['type'] == 'ZeroShotIoUMetric' and node.get(
                    'unseen_idx') is not None:
                yield f'{where}.unseen_idx', node['unseen_idx']


def check_unseen_agreement(cfg: Config) -> None:
    """Raise :class:`ConfigError` unless the model, the datasets and the
    metrics name the same unseen classes.

    The datasets and metrics agree with each other; the model with them,
    unless it hides ``'all'`` classes (annotation-free, image tags) or none
    (``[]``, a fully supervised oracle).
    """
    sources = [(k, v if isinstance(v, str) else sorted(int(i) for i in v))
               for k, v in _unseen_sources(cfg)]
    data = [(k, v) for k, v in sources if not k.startswith('model.')]
    model = [(k, v) for k, v in sources if k.startswith('model.')]
    if model and model[0][1] not in ('all', []):
        data = model + data
    _agree(data)


def _agree(sources: list) -> None:
    for key, value in sources[1:]:
        first_key, first = sources[0]
        if value != first:
            raise ConfigError(
                f'{key} = {value!r} disagrees with {first_key} = {first!r}: '
                'a zero-shot run needs one split; give the model the '
                "dataset base's (unseen_idx={{_base_.unseen_idx}}).")


def _check_indices(key: str, unseen, num_classes: int) -> None:
    if isinstance(unseen, str):
        return
    bad = [i for i in unseen if not 0 <= int(i) < num_classes]
    if bad:
        raise UserError(f'{key} has index {bad[0]}, outside the '
                        f'{num_classes} classes of the dataset')
