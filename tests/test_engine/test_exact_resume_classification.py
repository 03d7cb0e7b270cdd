"""The image-level recipes resume exactly too: the world recipe (iteration
loop) and the same recipe on the epoch loop of Li et al.'s schedules,
stopped after a checkpoint and resumed, end with the uninterrupted run's
weights, bit for bit."""
import os.path as osp

import pytest
import torch
from mmengine.config import ConfigDict
from mmengine.runner import Runner

from vlkd_seg.demo import world_run_config
from ..conftest import REPO
from .test_exact_resume import Stopped, StopAfter

RECIPE = osp.join(REPO, 'configs', 'demo',
                  'vlkd-cls_r18-tiny_synthetic-world.py')
ITERS = 6  # the ID images of the tiny world (8) in batches of 4: 3 epochs


def _runner(objects, world_clip, work_dir, loop, stop_at=None, resume=False):
    cfg = world_run_config(RECIPE, str(work_dir), objects, world_clip, ITERS)
    cfg.train_dataloader.batch_size = 4
    # random flips, as the paper's recipes augment: draws a resume must
    # repeat
    cfg.train_dataloader.dataset.pipeline.insert(
        1, dict(type='RandomFlip', prob=0.5, direction='horizontal'))
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        cfg[loader].update(num_workers=0, persistent_workers=False)
    cfg.custom_hooks[1].num_workers = 0
    if loop == 'epoch':
        cfg.train_cfg = ConfigDict(
            type='ExactResumeEpochBasedTrainLoop',
            max_epochs=3,
            val_interval=1)
        cfg.train_dataloader.sampler = ConfigDict(
            type='DefaultSampler', shuffle=True)
        cfg.default_hooks.checkpoint.update(by_epoch=True, interval=1)
    else:
        cfg.train_cfg.val_interval = 3  # validating between checkpoints
        cfg.default_hooks.checkpoint.interval = 3
    cfg.resume = resume
    runner = Runner.from_cfg(cfg)
    if stop_at:
        runner.register_hook(StopAfter(stop_at))
    return runner


@pytest.mark.parametrize('loop', ['iter', 'epoch'])
def test_a_resumed_classification_run_ends_with_the_uninterrupted_weights(
        tiny_world_objects, world_clip, tmp_path, loop):
    straight = _runner(tiny_world_objects, world_clip, tmp_path / 'straight',
                       loop)
    straight.train()
    # stopped in the middle of the second epoch (or after iteration 3's
    # checkpoint): resumed from the end of the first (from iteration 3)
    with pytest.raises(Stopped):
        _runner(
            tiny_world_objects, world_clip, tmp_path / 'run', loop,
            stop_at=3).train()
    resumed = _runner(
        tiny_world_objects, world_clip, tmp_path / 'run', loop, resume=True)
    resumed.train()
    assert resumed.train_loop.iter == straight.train_loop.iter == ITERS
    expected = straight.model.state_dict()
    weights = resumed.model.state_dict()
    assert weights.keys() == expected.keys()
    for key, value in expected.items():
        torch.testing.assert_close(
            weights[key], value, rtol=0, atol=0, msg=key)
