"""The shell launchers check their arguments and find a Python that has
torch and vlkd_seg (the caller's, or the repository's .venv)."""
import os
import os.path as osp
import shutil
import subprocess
import sys

import pytest

from ..conftest import DEMO_CONFIG, REPO

TOOLS = osp.join(REPO, 'tools')


def _launch(script, *args, env=None):
    return subprocess.run(['bash', osp.join(TOOLS, script), *args],
                          capture_output=True,
                          text=True,
                          cwd=REPO,
                          env=dict(
                              os.environ, PYTHON=sys.executable, **(env
                                                                    or {})),
                          timeout=120)


@pytest.mark.parametrize('script, args, expected', [
    ('dist_train.sh', [DEMO_CONFIG, '0'], "positive integer, got '0'"),
    ('dist_train.sh', [DEMO_CONFIG, 'two'], "positive integer, got 'two'"),
    ('dist_train.sh', [DEMO_CONFIG], "positive integer, got ''"),
    ('dist_train.sh', ['configs/no.py', '2'
                       ], 'config configs/no.py does not exist'),
    ('dist_train.sh', [], 'no config given'),
    ('dist_test.sh', [DEMO_CONFIG, 'no.pth', '1'
                      ], 'checkpoint no.pth does not exist'),
    ('dist_test.sh', [DEMO_CONFIG, DEMO_CONFIG, '-1'
                      ], "positive integer, got '-1'"),
    ('slurm_train.sh', ['part', 'job', 'configs/no.py'
                        ], 'config configs/no.py does not exist'),
])
def test_bad_launcher_arguments_are_one_line(script, args, expected):
    result = _launch(script, *args)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith('error: '), result.stderr
    assert expected in lines[0]
    assert 'usage:' in lines[0] or 'exist' in lines[0]


def _fake_repo(tmp_path, with_venv):
    """A checkout with the launchers, and optionally a .venv whose python
    is this test's interpreter."""
    repo = tmp_path / 'repo'
    os.makedirs(repo / 'tools')
    shutil.copy(osp.join(TOOLS, 'launch_common.sh'), repo / 'tools')
    if with_venv:
        python = repo / '.venv' / 'bin' / 'python'
        os.makedirs(python.parent)
        python.write_text(f'#!/bin/sh\nexec {sys.executable} "$@"\n')
        python.chmod(0o755)
    return repo


def _pick_python(repo, python):
    snippet = f'source {repo}/tools/launch_common.sh && vlkd_python'
    return subprocess.run(['bash', '-c', snippet],
                          capture_output=True,
                          text=True,
                          env=dict(os.environ, PYTHON=python))


def test_a_python_without_torch_falls_back_to_the_venv(tmp_path):
    repo = _fake_repo(tmp_path, with_venv=True)
    result = _pick_python(repo, '/bin/false')
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f'{repo}/.venv/bin/python'
    # a caller's python that works is kept
    assert _pick_python(repo, sys.executable).stdout.strip() == sys.executable


def test_without_a_usable_python_the_fix_is_named(tmp_path):
    repo = _fake_repo(tmp_path, with_venv=False)
    result = _pick_python(repo, '/bin/false')
    assert result.returncode != 0 and result.stdout == ''
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith('error: ')
    assert '`make setup`' in lines[0]
    assert '`source .venv/bin/activate`' in lines[0]


def test_more_gpus_than_present_is_refused(tmp_path):
    gpus = tmp_path / 'two_gpu_python'
    gpus.write_text('#!/bin/sh\necho 2\n')  # reports torch.cuda 2 devices
    gpus.chmod(0o755)
    snippet = (f'source {TOOLS}/launch_common.sh && '
               f'vlkd_check_gpus {gpus} 2 && vlkd_check_gpus {gpus} 8')
    result = subprocess.run(['bash', '-c', snippet],
                            capture_output=True,
                            text=True)
    assert result.returncode != 0
    assert result.stderr.strip() == ('error: 8 GPUs asked for, but this '
                                     'machine has 2; pass at most 2')
