import glob
import os.path as osp
import subprocess
import sys

import pytest
import torch

from ..conftest import DEMO_CONFIG, REPO, load_tool, tiny_overrides

TRAIN = osp.join(REPO, 'tools', 'train.py')
WORLD_CLS_CONFIG = osp.join(REPO, 'configs', 'demo',
                            'vlkd-cls_r18-tiny_synthetic-world.py')


def _train(work_dir, world, iters, *extra):
    cmd = [
        sys.executable,
        TRAIN,
        DEMO_CONFIG,
        '--work-dir',
        str(work_dir),
        *extra,
        '--cfg-options',
        *tiny_overrides(world, iters),
        # one LR schedule for all runs, and no random flip: the straight
        # and the resumed run must see identical batches and rates
        'param_scheduler.0.end=4',
        'train_dataloader.dataset.pipeline.2.prob=0.0'
    ]
    result = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def _weights(path):
    # plain data: torch's safe unpickler reads it with no allow-list
    ckpt = torch.load(path, map_location='cpu', weights_only=True)
    return ckpt['meta'], ckpt['state_dict']


def test_resume_continues_with_the_saved_optimizer_state(tiny_world, tmp_path):
    straight = tmp_path / 'straight'
    _train(straight, tiny_world, 4)
    resumed = tmp_path / 'resumed'
    _train(resumed, tiny_world, 2)
    assert osp.isfile(resumed / 'iter_2.pth')
    _train(resumed, tiny_world, 4, '--resume')

    logs = sorted(glob.glob(str(resumed / '*' / '*.log')))
    assert len(logs) == 2
    second = open(logs[-1]).read()
    assert 'resumed epoch: 0, iter: 2' in second
    assert 'Iter(train) [3/4]' in second
    assert 'Iter(train) [1/4]' not in second

    meta_a, weights_a = _weights(straight / 'iter_4.pth')
    meta_b, weights_b = _weights(resumed / 'iter_4.pth')
    assert meta_a['iter'] == meta_b['iter'] == 4
    # SGD momentum and the poly LR only match if both were resumed
    for name, value in weights_a.items():
        torch.testing.assert_close(weights_b[name], value, msg=name)


@pytest.mark.parametrize(
    'argv, expected',
    [
        (['configs/demo/missing.py'
          ], 'config file configs/demo/missing.py does not exist'),
        ([DEMO_CONFIG, '--cfg-options', 'model.backbone.dept=18'
          ], "has no 'dept' (did you mean 'depth'?)"),
        ([
            DEMO_CONFIG, '--cfg-options',
            'train_dataloader.dataset.data_root=/no/such/root'
        ], 'data root /no/such/root of train_dataloader does not exist'),
        # an mmpretrain-scoped recipe: its own registry knows the arguments
        ([WORLD_CLS_CONFIG, '--cfg-options', 'model.templatez=single'
          ], "has no 'templatez' (did you mean 'templates'?)"),
        ([
            WORLD_CLS_CONFIG, '--cfg-options',
            'train_dataloader.dataset.dataset.data_root=/no/world_objects'
        ], 'write it with `python tools/world_classification.py` or pass '
         '--cfg-options train_dataloader.dataset.dataset.data_root=PATH'),
    ])
def test_bad_input_is_a_one_line_error(argv, expected, capsys):
    train = load_tool('train')
    with pytest.raises(SystemExit) as info:
        train.main(argv)
    message = str(info.value.code)
    assert message.startswith('error: ') and expected in message
    assert '\n' not in message
