"""Launch helpers shared by ``tools/train.py`` and ``tools/test.py``."""
import copy
import glob
import os
import os.path as osp
import sys
from typing import Optional, Tuple

import torch
import torch.distributed as dist
from mmengine.config import Config

from vlkd_seg.utils.checkpoints import (NUMBERED_CHECKPOINT,
                                        load_checkpoint_safely)
from vlkd_seg.utils.errors import ConfigError


def replace_sync_bn(node):
    """Turn every ``SyncBN`` norm config under ``node`` into ``BN``.

    SyncBatchNorm only runs on GPU modules; CPU runs use plain BN (with
    gloo, DDP still averages the gradients of the BN parameters).
    """
    if isinstance(node, dict):
        if node.get('type') == 'SyncBN':
            node['type'] = 'BN'
        for value in node.values():
            replace_sync_bn(value)
    elif isinstance(node, (list, tuple)):
        for value in node:
            replace_sync_bn(value)
    return node


def build_text_model(model: dict, where: str):
    """Build ``model`` (SyncBN as BN, the config left as it is) and check
    that it names a vocabulary (``set_vocabulary``), as every use of a
    trained model with other class names needs.

    Raises:
        ConfigError: The model has a fixed classifier; ``where`` says who
            asked for it.
    """
    from mmseg.registry import MODELS
    model = dict(replace_sync_bn(copy.deepcopy(model)))
    model.pop('pretrained', None)
    built = MODELS.build(model)
    if not hasattr(built, 'set_vocabulary'):
        raise ConfigError(
            f'{where}: the model ({type(built).__name__}) has a fixed '
            'classifier, not one against class texts: use a config whose '
            'model names a vocabulary (MaskCLIP, MaskCLIP+, LSeg, ZegCLIP, '
            'CLIPSeg: configs/maskclip*, configs/kd, configs/zegclip, '
            'configs/clipseg).')
    return built


def torch_device(name: str) -> torch.device:
    """The device ``name`` names (``'cpu'``, ``'cuda'``, ``'cuda:N'``), or a
    :class:`ConfigError` for a name torch does not know or a CUDA device on
    a machine without one."""
    try:
        device = torch.device(name)
    except (RuntimeError, TypeError):
        raise ConfigError(f'device {name!r} is not a device: use cpu, cuda '
                          'or cuda:N') from None
    if device.type == 'cuda' and not torch.cuda.is_available():
        raise ConfigError(f'device {name!r}: no CUDA GPU is visible here; '
                          'use --device cpu')
    if device.type not in ('cpu', 'cuda'):
        raise ConfigError(f'device {name!r}: vlkd_seg runs on cpu or cuda')
    return device


def setup_device(cfg: Config, launcher: str) -> None:
    """Make ``cfg`` run on this machine: CPU fallbacks where there is no GPU.

    Without CUDA, SyncBN becomes BN and a distributed launch initialises a
    ``gloo`` process group itself (mmengine's own init selects a CUDA device)
    and wraps the model in DDP without ``device_ids``.

    Args:
        cfg (Config): The config, modified in place.
        launcher (str): ``'none'``, ``'pytorch'``, ``'slurm'`` or ``'mpi'``.
    """
    if torch.cuda.is_available():
        return
    replace_sync_bn(cfg.model)
    if launcher == 'none':
        return
    if launcher != 'pytorch':
        raise ConfigError(f'launcher {launcher!r} needs GPUs here; use '
                          'tools/dist_train.sh (torchrun) on a CPU machine.')
    if not dist.is_initialized():
        dist.init_process_group(
            backend='gloo',
            rank=int(os.environ['RANK']),
            world_size=int(os.environ['WORLD_SIZE']))
    cfg.env_cfg.setdefault('dist_cfg', {})['backend'] = 'gloo'
    wrapper = cfg.get('model_wrapper_cfg') or dict(
        type='MMDistributedDataParallel',
        broadcast_buffers=False,
        find_unused_parameters=cfg.get('find_unused_parameters', False))
    wrapper['device_ids'] = None
    cfg.model_wrapper_cfg = wrapper


def load_run_config(args) -> Config:
    """Config of a ``tools/train.py`` / ``tools/test.py`` run.

    Loads ``args.config`` with ``args.cfg_options`` (checked), sets the
    launcher and the work dir (``--work-dir``, the config's, or
    ``./work_dirs/<config name>``).
    """
    from .config_checks import load_config
    cfg = load_config(args.config, args.cfg_options)
    cfg.launcher = args.launcher
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir') is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(args.config))[0])
    return cfg


def finish_run_config(cfg: Config, loaders: Tuple[str, ...],
                      launcher: str) -> Config:
    """Pre-flight checks of a run, then fit the config to the device.

    Checks the launcher's environment, the values users override (types
    and ranges), component names, data roots,
    vocabularies, zero-shot splits, weight files and mixed precision, then
    builds the datasets of ``loaders`` once to check that they hold samples
    whose first annotations fit their classes.

    Raises:
        UserError: See :mod:`vlkd_seg.utils.config_checks` and
            :mod:`vlkd_seg.utils.preflight`.
    """
    from .config_checks import check_data_roots, check_zero_shot_setup
    from .io import make_output_dir
    from .preflight import check_amp, check_datasets, check_launcher_env
    from .registry_checks import check_registered_types
    from .value_checks import check_config_values
    from .weight_checks import check_weight_files
    check_launcher_env(launcher)
    make_output_dir(cfg.work_dir, 'the work dir')
    check_config_values(cfg)
    check_registered_types(cfg)
    check_data_roots(cfg, loaders)
    check_zero_shot_setup(cfg)
    check_weight_files(cfg)
    check_amp(cfg)
    check_datasets(cfg, loaders)
    setup_device(cfg, launcher)
    return cfg


def teardown_distributed() -> None:
    """Destroy the process group, if any, once all ranks are done.

    Leaving a gloo group alive until interpreter exit can abort a rank
    ("terminate called without an active exception") after a run that
    finished well.
    """
    if dist.is_available() and dist.is_initialized():
        dist.barrier()
        dist.destroy_process_group()


def resume_checkpoint(work_dir: str) -> Optional[str]:
    """The checkpoint ``--resume`` continues from.

    The newest ``iter_N.pth`` / ``epoch_N.pth`` in ``work_dir`` or in the
    folder of the checkpoint ``WORK_DIR/last_checkpoint`` names; else the
    file ``last_checkpoint`` names. Checkpoints are written atomically, so
    every file found is complete, and a job killed after a checkpoint but
    before ``last_checkpoint`` was updated loses nothing; a newest file
    damaged later (a disk fault, a copy cut short) is passed over, with a
    warning line, for the previous complete one.

    Returns:
        str | None: Path of the checkpoint; None when there is none.
    """
    folders = {work_dir}
    named = None
    pointer = osp.join(work_dir, 'last_checkpoint')
    if osp.isfile(pointer):
        with open(pointer) as f:
            named = f.read().strip() or None
        if named:
            folders.add(osp.dirname(named) or '.')
    numbered = []
    for folder in folders:
        for path in glob.glob(osp.join(folder, '*.pth')):
            match = NUMBERED_CHECKPOINT.fullmatch(osp.basename(path))
            if match:
                numbered.append((int(match.group(1)), path))
    for _, path in sorted(numbered, reverse=True):
        if _readable(path):
            return path
    return named if named and osp.isfile(named) and _readable(named) \
        else None


def _readable(path: str) -> bool:
    """Whether ``path`` loads; a damaged file (disk fault, a copy cut
    short) is passed over with a warning line. An unsafe one is refused."""
    try:
        load_checkpoint_safely(path, 'cpu')
    except ConfigError as err:
        print(
            f'warning: --resume: {err} Passing over it to the previous '
            'complete checkpoint.',
            file=sys.stderr)
        return False
    return True
