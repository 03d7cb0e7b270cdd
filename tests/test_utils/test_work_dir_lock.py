"""One run per work dir: a live owner refuses a second run, a dead one's
lock is taken over, and the lock goes when the run ends."""
import os
import os.path as osp
import socket
import subprocess
import sys

import pytest

from vlkd_seg.utils.errors import SetupError
from vlkd_seg.utils.work_dir_lock import LOCK_NAME, work_dir_lock
from ..conftest import DEMO_CONFIG, load_tool, tiny_overrides


def _dead_pid():
    done = subprocess.run(
        [sys.executable, '-c', 'import os; print(os.getpid())'],
        capture_output=True,
        text=True)
    return int(done.stdout)


def test_a_live_owner_refuses_and_a_dead_ones_lock_is_taken(tmp_path):
    lock = tmp_path / LOCK_NAME
    with work_dir_lock(str(tmp_path)):
        assert lock.read_text() == f'{socket.gethostname()} {os.getpid()}'
        with pytest.raises(
                SetupError,
                match=f'in use by another run \\(pid '
                f'{os.getpid()}'):
            with work_dir_lock(str(tmp_path)):
                pass
    assert not lock.exists()  # released
    lock.write_text(f'{socket.gethostname()} {_dead_pid()}')
    with work_dir_lock(str(tmp_path)):
        assert lock.read_text().endswith(str(os.getpid()))


def test_a_second_training_into_a_busy_work_dir_stops_in_one_line(
        tiny_world, tmp_path):
    (tmp_path / LOCK_NAME).write_text(f'{socket.gethostname()} {os.getppid()}')
    with pytest.raises(SystemExit) as info:
        load_tool('train').main([
            DEMO_CONFIG, '--work-dir',
            str(tmp_path), '--cfg-options', *tiny_overrides(tiny_world, 2)
        ])
    assert str(info.value.code).startswith('error: work dir ')
    assert not osp.exists(tmp_path / 'iter_2.pth')
