"""Atomic writes for mmengine's local file backend."""
from pathlib import Path
from typing import Union

from mmengine.fileio.backends import LocalBackend, register_backend

from vlkd_seg.utils.io import write_atomically


class AtomicLocalBackend(LocalBackend):
    """mmengine's ``LocalBackend`` whose ``put`` and ``put_text`` replace a
    file atomically (temporary file, ``fsync``, rename).

    mmengine saves checkpoints through the local backend's ``put``; with
    this backend a job killed while saving leaves the previous file (or
    none), never a truncated one. :func:`use_atomic_local_backend` makes
    it the backend of local paths.
    """

    def put(self, obj: bytes, filepath: Union[str, Path]) -> None:
        write_atomically(obj, str(filepath))

    def put_text(self,
                 obj: str,
                 filepath: Union[str, Path],
                 encoding: str = 'utf-8') -> None:
        write_atomically(obj.encode(encoding), str(filepath))


def use_atomic_local_backend() -> None:
    """Use :class:`AtomicLocalBackend` for every local path."""
    register_backend('local', AtomicLocalBackend, force=True, prefixes='')
