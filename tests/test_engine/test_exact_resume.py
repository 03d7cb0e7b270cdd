"""A resumed run is the uninterrupted one: the demo student recipe as
shipped (dropout, flips, validation between checkpoints, the switch to
self-training), stopped after a checkpoint and resumed, ends with the
weights of the run that was never stopped, bit for bit."""
import os.path as osp

import pytest
import torch
from mmengine.hooks import Hook
from mmengine.runner import Runner

from vlkd_seg.demo import world_run_config
from ..conftest import REPO

STUDENT = osp.join(REPO, 'configs', 'demo',
                   'maskclip-plus_fcn-r18-tiny_synthetic-world.py')
ITERS = 6


class Stopped(Exception):
    pass


class StopAfter(Hook):
    """Stop the run once iteration ``at`` is done and saved (a kill)."""
    priority = 'LOWEST'

    def __init__(self, at):
        self.at = at

    def after_train_iter(self,
                         runner,
                         batch_idx,
                         data_batch=None,
                         outputs=None):
        if runner.iter + 1 == self.at:
            raise Stopped


def _runner(world, world_clip, work_dir, stop_at=None, resume=False):
    cfg = world_run_config(STUDENT, str(work_dir), world, world_clip, ITERS)
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        cfg[loader].update(num_workers=0, persistent_workers=False)
    cfg.train_cfg.val_interval = 2  # validating between checkpoints
    cfg.default_hooks.checkpoint.interval = 2
    cfg.model.labellers[1].start = 3  # self-training from iteration 3
    cfg.resume = resume
    runner = Runner.from_cfg(cfg)
    if stop_at:
        runner.register_hook(StopAfter(stop_at))
    return runner


@pytest.fixture(scope='module')
def straight(tiny_world, world_clip, tmp_path_factory):
    runner = _runner(tiny_world, world_clip,
                     tmp_path_factory.mktemp('straight'))
    runner.train()
    return runner.model.state_dict()


@pytest.mark.parametrize('stop_at', [2, 4], ids=['teacher', 'self-training'])
def test_a_resumed_run_ends_with_the_uninterrupted_weights(
        tiny_world, world_clip, straight, tmp_path, stop_at):
    with pytest.raises(Stopped):
        _runner(tiny_world, world_clip, tmp_path, stop_at).train()
    resumed = _runner(tiny_world, world_clip, tmp_path, resume=True)
    resumed.train()
    assert resumed.train_loop.iter == ITERS
    weights = resumed.model.state_dict()
    assert weights.keys() == straight.keys()
    for key, value in straight.items():
        torch.testing.assert_close(
            weights[key], value, rtol=0, atol=0, msg=key)
