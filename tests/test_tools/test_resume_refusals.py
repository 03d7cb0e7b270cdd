"""``tools/train.py --resume`` refuses, in one line, a resume that cannot be
the run the user asked for."""
import os.path as osp

import pytest

from ..conftest import DEMO_CONFIG, REPO, load_tool, tiny_overrides

STUDENT = osp.join(REPO, 'configs', 'demo',
                   'maskclip-plus_fcn-r18-tiny_synthetic-world.py')


@pytest.fixture(scope='module')
def trained(tiny_world, tmp_path_factory):
    """A work dir holding a 4-iteration run of the demo FCN."""
    work = tmp_path_factory.mktemp('trained')
    load_tool('train').main([
        DEMO_CONFIG, '--work-dir',
        str(work), '--cfg-options', *tiny_overrides(tiny_world, 4)
    ])
    assert osp.isfile(work / 'iter_4.pth')
    return work


def _refusal(config, work, options):
    with pytest.raises(SystemExit) as info:
        load_tool('train').main([
            config, '--work-dir',
            str(work), '--resume', '--cfg-options', *options
        ])
    return str(info.value.code)


def test_nothing_left_to_train_is_refused(tiny_world, trained):
    message = _refusal(DEMO_CONFIG, trained, tiny_overrides(tiny_world, 3))
    assert message.startswith('error: --resume: ')
    assert 'at iteration 4 and train_cfg.max_iters is 3' in message


def test_a_schedule_the_checkpoint_would_override_is_refused(
        tiny_world, trained):
    message = _refusal(DEMO_CONFIG, trained, tiny_overrides(tiny_world, 8))
    assert 'param_scheduler differs' in message and "'end': 4" in message
    message = _refusal(
        DEMO_CONFIG, trained,
        tiny_overrides(tiny_world, 8) +
        ['param_scheduler.0.end=4', 'optim_wrapper.optimizer.lr=0.5'])
    assert 'optim_wrapper.optimizer differs' in message


def test_another_recipes_checkpoint_is_refused(tiny_world, trained):
    options = tiny_overrides(tiny_world, 8) + ['param_scheduler.0.end=4']
    message = _refusal(
        STUDENT, trained,
        [o for o in options if not o.startswith('model.decode_head')])
    assert 'trained as a EncoderDecoder' in message
    message = _refusal(DEMO_CONFIG, trained,
                       options + ['model.decode_head.channels=16'])
    assert "checkpoint's parameters are not this model's" in message
    assert 'decode_head.conv_seg.weight' in message
