"""Small file helpers shared by the package and the tools."""
import os
import os.path as osp
import tempfile
from typing import Any

import torch


def cache_root() -> str:
    """The project's cache folder: ``$VLKD_CACHE`` or ``~/.cache/vlkd_seg``."""
    return osp.expanduser(os.environ.get('VLKD_CACHE', '~/.cache/vlkd_seg'))


def save_atomically(obj: Any, path: str) -> None:
    """``torch.save`` into a temporary file beside ``path``, then rename it,
    so an interrupted write never leaves a half-written file at ``path``."""
    folder = osp.dirname(osp.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, suffix='.tmp')
    os.close(fd)
    try:
        torch.save(obj, tmp)
        os.replace(tmp, path)
    finally:
        if osp.exists(tmp):
            os.remove(tmp)
