import os.path as osp

import torch
from mmengine.runner import Runner

from vlkd_seg.demo import world_run_config
from ..conftest import REPO

DEMO = osp.join(REPO, 'configs', 'demo')


def _runner(config, work_dir, world, teacher, iters=None):
    cfg = world_run_config(
        osp.join(DEMO, config), str(work_dir), world, teacher, iters)
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        if cfg.get(loader):
            cfg[loader].update(num_workers=0, persistent_workers=False)
    if iters:
        cfg.train_cfg.val_interval = iters
        cfg.model.labellers[1].start = 2
    return Runner.from_cfg(cfg)


def _student(world, teacher, work_dir, before=None):
    runner = _runner(
        'maskclip-plus_fcn-r18-tiny_synthetic-world.py',
        work_dir / 'student',
        world,
        teacher,
        iters=4)
    if before is not None:  # another runner's work in between
        _runner('maskclip_synthetic-world.py', work_dir / 'maskclip', world,
                teacher).test()
        torch.rand(100)
    runner.train()
    return runner.model.state_dict()


def test_a_runner_between_build_and_train_changes_nothing(
        tiny_world, world_clip, tmp_path):
    teacher = world_clip
    alone = _student(tiny_world, teacher, tmp_path / 'alone')
    after = _student(tiny_world, teacher, tmp_path / 'after', before=True)
    assert alone.keys() == after.keys()
    for key, value in alone.items():
        torch.testing.assert_close(after[key], value, msg=key)
