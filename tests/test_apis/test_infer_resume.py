"""A killed ``tools/infer.py`` leaves whole files only, and its rerun
segments the images not done, and only those."""
import os
import os.path as osp

import pytest

from vlkd_seg.apis import segment
from ..conftest import load_tool
from .conftest import DISTILL


class _Killed(BaseException):
    """Stands for SIGKILL: nothing of the tool catches it."""


def _infer_in_process(student, out, *extra):
    infer = load_tool('infer')
    calls = []

    def counted(model, image):
        calls.append(image)
        return segment(model, image)

    infer.segment = counted
    infer.main([
        DISTILL, student['checkpoint'],
        osp.dirname(student['images'][0]), '--vocabulary',
        'disc,ring,background', '--out',
        str(out), '--cfg-options',
        f'model.teacher.checkpoint={student["teacher"]}', *extra
    ])
    return calls


def _files(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_a_killed_infer_leaves_whole_files_and_resumes(
        student, tmp_path, monkeypatch, capsys):
    _infer_in_process(student, tmp_path / 'whole')
    out = tmp_path / 'killed'
    from vlkd_seg.apis import outputs
    saved = []

    def killed_at_the_7th_image_file(image, path, **kwargs):
        if len(saved) == 6:  # image 3: its overlay is not written
            raise _Killed
        saved.append(path)
        save_image_atomically(image, path, **kwargs)

    save_image_atomically = outputs.save_image_atomically
    monkeypatch.setattr(outputs, 'save_image_atomically',
                        killed_at_the_7th_image_file)
    with pytest.raises(_Killed):
        _infer_in_process(student, out)
    monkeypatch.undo()
    assert len(os.listdir(out)) == 3 * 3
    # the rerun segments the five images not complete, and only those
    calls = _infer_in_process(student, out)
    assert calls == student['images'][3:]
    assert _files(out) == _files(tmp_path / 'whole')
    assert min(len(data) for data in _files(out).values()) > 0
    assert _infer_in_process(student, out) == []
    assert '8 already there from an earlier run' in capsys.readouterr().out
    # another vocabulary, or --overwrite, is a new request
    assert len(_infer_in_process(student, out, '--overwrite')) == 8
