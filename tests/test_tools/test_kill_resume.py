"""A training job killed at any moment resumes from its last complete
checkpoint and ends with the weights of a run that was never killed, bit
for bit (dropout, flips and validation on)."""
import glob
import os.path as osp
import random
import re
import signal
import subprocess
import sys
import time

import pytest
import torch

from ..conftest import DEMO_CONFIG, REPO, tiny_overrides

TRAIN = osp.join(REPO, 'tools', 'train.py')
DRIVER = osp.join(osp.dirname(__file__), 'kill_driver.py')
ITERS = 8


def _args(work_dir, world):
    return [
        DEMO_CONFIG,
        '--work-dir',
        str(work_dir),
        '--cfg-options',
        *tiny_overrides(world, ITERS),
        'default_hooks.checkpoint.interval=2',
        # one checkpoint kept: the harshest case for the save order
        'default_hooks.checkpoint.max_keep_ckpts=1',
        # the recipe's dropout and flips (tiny_overrides turns dropout off):
        # the resumed run draws them as the uninterrupted one
        'model.decode_head.dropout_ratio=0.1',
        'train_cfg.val_interval=2'  # validating between checkpoints
    ]


def _run(cmd, check=True):
    result = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO)
    if check:
        assert result.returncode == 0, result.stderr[-3000:]
    return result


def _final_weights(work_dir):
    ckpt = torch.load(
        osp.join(work_dir, f'iter_{ITERS}.pth'),
        map_location='cpu',
        weights_only=False)
    assert ckpt['meta']['iter'] == ITERS
    return ckpt['state_dict']


@pytest.fixture(scope='module')
def straight(tiny_world, tmp_path_factory):
    """Weights of the run that is never killed."""
    work_dir = tmp_path_factory.mktemp('straight')
    _run([sys.executable, TRAIN, *_args(work_dir, tiny_world)])
    return _final_weights(work_dir)


def _resume_and_compare(work_dir, world, straight, expected_iter):
    result = _run([sys.executable, TRAIN, *_args(work_dir, world), '--resume'])
    log = sorted(glob.glob(osp.join(work_dir, '*', '*.log')))[-1]
    text = open(log).read()
    if expected_iter == 0:
        assert 'warning: --resume: no checkpoint in' in result.stderr
        assert 'Iter(train) [1/8]' in text
    else:
        assert f'resumed epoch: 0, iter: {expected_iter}' in text
        assert f'Iter(train) [{expected_iter}/8]' not in text
    for name, value in _final_weights(work_dir).items():
        torch.testing.assert_close(
            value, straight[name], rtol=0, atol=0, msg=name)


@pytest.mark.parametrize(
    'point, target, expected_iter',
    [
        ('mid-write', 'iter_4.pth', 2),
        ('before-pointer', 'iter_4.pth', 4),
        ('after-pointer', 'iter_6.pth', 6),
    ])
def test_killed_while_saving_resumes_from_the_last_complete_checkpoint(
        tiny_world, tmp_path, straight, point, target, expected_iter):
    work_dir = tmp_path / 'work'
    killed = _run([
        sys.executable, DRIVER, point, target, '--',
        *_args(work_dir, tiny_world)
    ],
                  check=False)
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
    assert not osp.exists(work_dir / f'iter_{ITERS}.pth')
    if point == 'mid-write':  # the half-written file never got its name
        assert not osp.exists(work_dir / target)
        assert glob.glob(str(work_dir / f'.{target}.*.tmp'))
    _resume_and_compare(work_dir, tiny_world, straight, expected_iter)


def test_killed_at_a_random_moment_resumes_where_it_stopped(
        tiny_world, tmp_path, straight, seed=0):
    work_dir = tmp_path / 'work'
    proc = subprocess.Popen(
        [sys.executable, TRAIN, *_args(work_dir, tiny_world)],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while not glob.glob(str(work_dir / '*' / '*.log')):  # started training
        assert proc.poll() is None and time.time() < deadline
        time.sleep(0.05)
    time.sleep(random.Random(seed).uniform(0, 3))
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    complete = [
        int(re.search(r'iter_(\d+)', p).group(1))
        for p in glob.glob(str(work_dir / 'iter_*.pth'))
    ]
    if max(complete or [0]) == ITERS:  # killed once the run was done
        refused = _run(
            [sys.executable, TRAIN, *_args(work_dir, tiny_world), '--resume'],
            check=False)
        assert 'nothing is left to train' in refused.stderr
        for name, value in _final_weights(work_dir).items():
            torch.testing.assert_close(
                value, straight[name], rtol=0, atol=0, msg=name)
        return
    _resume_and_compare(work_dir, tiny_world, straight, max(complete or [0]))
