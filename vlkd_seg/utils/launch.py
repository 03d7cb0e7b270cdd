"""Launch helpers shared by ``tools/train.py`` and ``tools/test.py``."""
import os

import torch
import torch.distributed as dist
from mmengine.config import Config


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
        raise ValueError(f'launcher {launcher!r} needs GPUs here; use '
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
