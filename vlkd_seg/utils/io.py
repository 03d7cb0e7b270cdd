"""Small file helpers shared by the package and the tools."""
import io
import os
import os.path as osp
import uuid
from typing import Any, Union

import torch


def cache_root() -> str:
    """The project's cache folder: ``$VLKD_CACHE`` or ``~/.cache/vlkd_seg``."""
    return osp.expanduser(os.environ.get('VLKD_CACHE', '~/.cache/vlkd_seg'))


def write_atomically(data: Union[bytes, str], path: str) -> None:
    """Write ``data`` to ``path`` so that a reader, or a process killed at any
    moment, sees either the old file or the whole new one.

    The data goes into a temporary file beside ``path``, is flushed to disk
    (``fsync``) and renamed over ``path``; the folder is synced so that the
    rename survives a crash too.

    Args:
        data (bytes | str): Content; ``str`` is written as UTF-8.
        path (str): Destination file; its folder is created if needed.
    """
    if isinstance(data, str):
        data = data.encode('utf-8')
    folder = osp.dirname(osp.abspath(path))
    os.makedirs(folder, exist_ok=True)
    tmp = osp.join(folder, f'.{osp.basename(path)}.{uuid.uuid4().hex[:8]}.tmp')
    try:
        with open(tmp, 'xb') as f:  # 'x': never an existing file
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        if osp.exists(tmp):
            os.remove(tmp)
    _fsync_folder(folder)


def fsync_file(path: str) -> None:
    """Flush ``path``'s content to disk, and its folder's entry for it."""
    with open(path, 'rb+') as f:
        os.fsync(f.fileno())
    _fsync_folder(osp.dirname(osp.abspath(path)))


def _fsync_folder(folder: str) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # folders cannot be opened on some systems
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def save_atomically(obj: Any, path: str) -> None:
    """``torch.save`` ``obj`` to ``path`` with :func:`write_atomically`, so
    an interrupted save never leaves a half-written file at ``path``."""
    with io.BytesIO() as buffer:
        torch.save(obj, buffer)
        write_atomically(buffer.getvalue(), path)
