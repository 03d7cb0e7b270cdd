"""Small file helpers shared by the package and the tools."""
import io
import json
import os
import os.path as osp
import uuid
from typing import Any, Union

import numpy as np
import torch
from PIL import Image

from .errors import ConfigError


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


def save_image_atomically(image: Union[np.ndarray, Image.Image], path: str,
                          **save_kwargs) -> None:
    """Save ``image`` (an array PIL can take, or a PIL image) in the format
    ``path``'s suffix names, with :func:`write_atomically`.

    Args:
        image (np.ndarray | PIL.Image.Image): E.g. an ``(H, W)`` label map.
        path (str): Destination file, e.g. ``NAME.png``.
        **save_kwargs: Passed to ``PIL.Image.Image.save`` (``pnginfo=``).
    """
    if isinstance(image, np.ndarray):
        image = Image.fromarray(image)
    with io.BytesIO() as buffer:
        image.save(
            buffer,
            format=Image.registered_extensions()[osp.splitext(path)
                                                 [1].lower()],
            **save_kwargs)
        write_atomically(buffer.getvalue(), path)


def write_json_atomically(obj: Any, path: str) -> None:
    """``obj`` as indented JSON at ``path``, with :func:`write_atomically`."""
    write_atomically(json.dumps(obj, indent=1) + '\n', path)


def make_output_dir(path: str, option: str) -> str:
    """Create the output folder ``path`` that the command line's ``option``
    names, or say in one line why it cannot be (a file of that name, no
    permission); returns ``path``."""
    if osp.exists(path) and not osp.isdir(path):
        raise ConfigError(f'{option} {path} is a file: give a folder (it '
                          'is created if missing)')
    try:
        os.makedirs(path, exist_ok=True)
    except OSError as err:
        raise ConfigError(f'{option} {path}: cannot create the folder '
                          f'({err.strerror})') from err
    if not os.access(path, os.W_OK | os.X_OK):
        raise ConfigError(f'{option} {path} is not writable: give a folder '
                          'you can write to')
    return path
