import os
import os.path as osp
import subprocess
import sys

from ..conftest import DEMO_CONFIG, REPO, free_port, tiny_overrides


def test_two_process_gloo_training_keeps_ranks_in_sync(tiny_world, tmp_path):
    env = dict(
        os.environ,
        PYTHON=sys.executable,
        PORT=str(free_port()),
        OMP_NUM_THREADS='1')
    cmd = [
        'bash',
        osp.join(REPO, 'tools', 'dist_train.sh'), DEMO_CONFIG, '2',
        '--work-dir',
        str(tmp_path), '--cfg-options', *tiny_overrides(tiny_world, iters=2)
    ]
    result = subprocess.run(
        cmd, capture_output=True, text=True, cwd=REPO, env=env, timeout=600)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    assert 'Distributed training: True' in output
    assert '2 ranks agree on the weights' in output
    assert osp.isfile(tmp_path / 'iter_2.pth')
