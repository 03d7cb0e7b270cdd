import os

import pytest

from vlkd_seg.utils.io import write_atomically


def test_write_replaces_the_file_with_the_mode_a_plain_write_gets(tmp_path):
    path = tmp_path / 'sub' / 'file.bin'
    write_atomically(b'first', str(path))
    write_atomically('second', str(path))
    assert path.read_bytes() == b'second'
    plain = tmp_path / 'plain'
    plain.write_bytes(b'')
    assert path.stat().st_mode == plain.stat().st_mode
    assert os.listdir(path.parent) == ['file.bin']


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(
        tmp_path, monkeypatch):
    path = tmp_path / 'last_checkpoint'
    write_atomically('iter_2.pth', str(path))

    def fail(fd):
        raise OSError('disk full')

    monkeypatch.setattr(os, 'fsync', fail)
    with pytest.raises(OSError, match='disk full'):
        write_atomically('iter_4.pth', str(path))
    assert path.read_text() == 'iter_2.pth'
    assert os.listdir(tmp_path) == ['last_checkpoint']
