"""The world student the inference tests share (trained once)."""
import glob
import os.path as osp

import pytest
from mmengine.runner import Runner

from vlkd_seg.demo import world_run_config
from ..conftest import REPO

DISTILL = osp.join(REPO, 'configs', 'demo',
                   'maskclip-plus_fcn-r18-tiny_synthetic-world.py')


@pytest.fixture(scope='package')
def student(tiny_world, world_clip, tmp_path_factory):
    """A world student trained for 4 iterations, its teacher and images."""
    root = tmp_path_factory.mktemp('student')
    cfg = world_run_config(DISTILL, str(root / 'work'), tiny_world, world_clip,
                           4)
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        cfg[loader].update(num_workers=0, persistent_workers=False)
    Runner.from_cfg(cfg).train()
    images = sorted(glob.glob(osp.join(tiny_world, 'img_dir', 'val', '*')))
    return dict(
        checkpoint=str(root / 'work' / 'iter_4.pth'),
        teacher=world_clip,
        images=images,
        world=tiny_world)
