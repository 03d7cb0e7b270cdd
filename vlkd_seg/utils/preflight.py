"""Checks that build a little before the Runner builds it all: datasets
hold samples, annotations fit the classes, the environment fits the flags.

Each raises a :class:`~vlkd_seg.utils.errors.UserError` naming the config
key or file and the fix, before any time is spent on the run.
"""
import importlib
import os
from typing import Tuple

import numpy as np
import torch
from mmengine.config import Config
from mmengine.registry import DefaultScope

from .data_headers import check_sample_files
from .errors import ConfigError, UserError

# environment variables each launcher's processes get from their starter
_LAUNCHER_ENV = dict(
    pytorch=(('RANK', 'WORLD_SIZE', 'MASTER_ADDR', 'MASTER_PORT'),
             'start it with tools/dist_train.sh / dist_test.sh (torchrun)'),
    slurm=(('SLURM_PROCID', 'SLURM_NTASKS', 'SLURM_NODELIST'),
           'start it with tools/slurm_train.sh (srun)'),
    mpi=(('OMPI_COMM_WORLD_RANK', 'OMPI_COMM_WORLD_SIZE'),
         'start it with mpirun'))
# annotations checked per dataset: enough to catch a wrong label layout
_LABEL_SAMPLES = 3


def check_launcher_env(launcher: str) -> None:
    """Raise :class:`ConfigError` if ``--launcher`` lacks the environment
    its starter sets (e.g. ``--launcher pytorch`` outside torchrun)."""
    if launcher == 'none':
        return
    names, fix = _LAUNCHER_ENV[launcher]
    missing = [n for n in names if n not in os.environ]
    if missing:
        raise ConfigError(
            f'--launcher {launcher} needs the environment its starter sets '
            f'({", ".join(missing)} missing): {fix}, or drop --launcher.')


def check_amp(cfg: Config) -> None:
    """Raise :class:`ConfigError` for mixed precision without CUDA."""
    wrapper = (cfg.get('optim_wrapper') or {}).get('type', 'OptimWrapper')
    if wrapper == 'AmpOptimWrapper' and not torch.cuda.is_available():
        raise ConfigError(
            'automatic mixed precision (--amp / AmpOptimWrapper) needs a '
            'CUDA GPU and none is visible here; drop --amp (and set '
            "optim_wrapper.type='OptimWrapper').")


def check_datasets(cfg: Config, loaders: Tuple[str, ...]) -> None:
    """Build the dataset of each dataloader that will run and check it.

    Raises:
        UserError: A dataset that cannot be built, holds no sample, a
            sample file that is missing, unreadable, of another size than
            its image or a colour label map (:func:`check_sample_files`,
            every sample, headers only), or first annotations with labels
            outside its classes.
    """
    scope = cfg.get('default_scope', 'mmseg')
    registry = importlib.import_module(f'{scope}.registry').DATASETS
    for loader in loaders:
        dataset_cfg = (cfg.get(loader) or {}).get('dataset')
        if not dataset_cfg:
            continue
        key = f'{loader}.dataset'
        dataset = _build(registry, scope, key, dataset_cfg)
        if len(dataset) == 0:
            raise ConfigError(
                f'{key} holds no samples: nothing matched under '
                f'{_root(dataset_cfg)} (data_prefix '
                f'{dataset_cfg.get("data_prefix")}); point data_root at the '
                'dataset or fix data_prefix / the split file.')
        check_sample_files(dataset, key)
        _check_labels(dataset, key)


def _build(registry, scope: str, key: str, dataset_cfg):
    """The dataset ``dataset_cfg`` builds; ``[]`` for one without samples."""
    try:
        with DefaultScope.overwrite_default_scope(scope):
            return registry.build(dataset_cfg)
    except UserError:
        raise
    except Exception as err:  # the user's data: a failure is theirs
        if 'need at least one array to concatenate' in str(err):
            return []  # mmengine cannot pack an empty data list
        raise _unbuildable(key, dataset_cfg, err) from err


def _unbuildable(key: str, dataset_cfg, err: Exception) -> ConfigError:
    return ConfigError(
        f'{key} cannot be built from {_root(dataset_cfg)} '
        f'({type(err).__name__}: {_last_line(err)}); check data_root and '
        'data_prefix against the layout in the README.')


def _root(dataset_cfg) -> str:
    while 'data_root' not in dataset_cfg and 'dataset' in dataset_cfg:
        dataset_cfg = dataset_cfg['dataset']
    return repr(dataset_cfg.get('data_root'))


def _last_line(err: Exception) -> str:
    lines = str(err).strip().splitlines()
    return lines[-1] if lines else ''


def _check_labels(dataset, key: str) -> None:
    """The first annotations' values lie in ``[0, num_classes)`` or are the
    ignore index (segmentation datasets only; not a dataset of prompts,
    ``PhraseMaskDataset``, whose masks ``LoadPhraseMask`` reads and checks
    and whose negatives have none)."""
    from mmseg.datasets import BaseSegDataset
    from mmseg.datasets.transforms import LoadAnnotations
    if not isinstance(dataset,
                      BaseSegDataset) or dataset.metainfo.get('prompted'):
        return
    num_classes = len(dataset.metainfo['classes'])
    ignore = dataset.ignore_index
    load = LoadAnnotations()
    for i in range(min(_LABEL_SAMPLES, len(dataset))):
        info = dataset.get_data_info(i)
        labels = np.unique(load(dict(info))['gt_seg_map'])
        bad = [int(v) for v in labels if v >= num_classes and v != ignore]
        if bad:
            raise ConfigError(
                f'{info["seg_map_path"]} ({key}) holds label values {bad[:5]}'
                f' but the dataset has {num_classes} classes (0-'
                f'{num_classes - 1}) and ignore index {ignore}: the '
                'annotations do not fit its classes; check data_root, '
                'reduce_zero_label and the class list.')
