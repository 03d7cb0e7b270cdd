"""One run per work dir: a lock file naming the run that holds it."""
import os
import os.path as osp
import socket
import time
from contextlib import contextmanager
from typing import Iterator

from .errors import SetupError

LOCK_NAME = '.vlkd_run.lock'


@contextmanager
def work_dir_lock(work_dir: str) -> Iterator[None]:
    """Hold ``work_dir`` for this process while the block runs.

    The lock is a file created exclusively, holding the owner's host and
    pid; a lock whose process is gone (same host) is stale and taken over.
    Only the first rank of a distributed run takes it.

    Raises:
        SetupError: Another live run holds the work dir.
    """
    if int(os.environ.get('RANK', '0')) != 0:
        yield
        return
    os.makedirs(work_dir, exist_ok=True)
    path = osp.join(work_dir, LOCK_NAME)
    owner = f'{socket.gethostname()} {os.getpid()}'
    while True:
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            break
        except FileExistsError:
            _take_over_if_stale(path, work_dir)
    with os.fdopen(fd, 'w') as f:
        f.write(owner)
    try:
        yield
    finally:
        if osp.isfile(path) and open(path).read() == owner:
            os.remove(path)


def _take_over_if_stale(path: str, work_dir: str) -> None:
    """Remove the lock at ``path`` if its process is gone; else refuse."""
    try:
        host, pid = open(path).read().split()
        pid = int(pid)
    except (OSError, ValueError):  # garbage, or being written right now
        if osp.exists(path) and time.time() - osp.getmtime(path) < 5:
            host, pid = '?', '?'
        else:
            host, pid = socket.gethostname(), -1
    if host == socket.gethostname() and not _alive(pid):
        try:
            os.remove(path)
        except FileNotFoundError:
            pass
        return
    raise SetupError(
        f'work dir {work_dir} is in use by another run (pid {pid} on {host}, '
        f'{path}): wait for it to end, or pass another --work-dir; if no '
        'such run exists, delete the lock file')


def _alive(pid) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
