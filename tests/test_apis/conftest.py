"""The world student the inference tests share (trained once)."""
import glob
import os.path as osp

import pytest
import torch
from mmengine.runner import Runner

from vlkd_seg.demo import world_run_config
from vlkd_seg.models.teachers.clip_checkpoint import create_clip
from ..conftest import REPO

DISTILL = osp.join(REPO, 'configs', 'demo',
                   'maskclip-plus_fcn-r18-tiny_synthetic-world.py')
WORLD_CLIP = osp.join(REPO, 'configs', 'demo', 'world_clip_rn.json')


@pytest.fixture(scope='package')
def student(tiny_world, tmp_path_factory):
    """A world student trained for 4 iterations, its teacher and images."""
    root = tmp_path_factory.mktemp('student')
    teacher = str(root / 'world_clip.pt')
    torch.save(create_clip(WORLD_CLIP).state_dict(), teacher)
    cfg = world_run_config(DISTILL, str(root / 'work'), tiny_world, teacher, 4)
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        cfg[loader].update(num_workers=0, persistent_workers=False)
    Runner.from_cfg(cfg).train()
    images = sorted(glob.glob(osp.join(tiny_world, 'img_dir', 'val', '*')))
    return dict(
        checkpoint=str(root / 'work' / 'iter_4.pth'),
        teacher=teacher,
        images=images,
        world=tiny_world)
