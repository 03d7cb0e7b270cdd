"""A recipe means what it says in mmseg's own tools: plain
``Config.fromfile``, ``Runner.from_cfg``, mmseg's ``tools/train.py``,
``init_model`` / ``inference_model`` and ``MMSegInferencer`` train and
segment with the model vlkd_seg's tools and API build from it."""
import glob
import os.path as osp
import subprocess
import sys

import numpy as np
import pytest
import torch
from mmengine.config import Config, DictAction
from mmengine.utils import get_installed_path

from .conftest import REPO, tiny_overrides

DISTILL = osp.join(REPO, 'configs', 'demo',
                   'maskclip-plus_fcn-r18-tiny_synthetic-world.py')
MMSEG_TRAIN = osp.join(
    get_installed_path('mmsegmentation'), '.mim', 'tools', 'train.py')
ITERS = 20


def _options(world, teacher):
    """The demo student for 20 iterations on the tiny world, self-training
    from 10, no random flip: two runs see identical batches."""
    return [
        o for o in tiny_overrides(world, ITERS) if not o.startswith('model.')
    ] + [
        f'model.teacher.checkpoint={teacher}', 'model.labellers.1.start=10',
        'model.student.decode_head.dropout_ratio=0.0',
        'train_dataloader.dataset.pipeline.2.prob=0.0'
    ]


@pytest.fixture(scope='module')
def trained(tiny_world, world_clip, tmp_path_factory):
    """Work dirs of the demo student trained by the three entry points."""
    root = tmp_path_factory.mktemp('entry_points')
    options = _options(tiny_world, world_clip)
    runs = {}
    for name, tool in (('ours', osp.join(REPO, 'tools',
                                         'train.py')), ('mmseg', MMSEG_TRAIN)):
        runs[name] = str(root / name)
        result = subprocess.run([
            sys.executable, tool, DISTILL, '--work-dir', runs[name],
            '--cfg-options', *options
        ],
                                capture_output=True,
                                text=True,
                                cwd=REPO)
        assert result.returncode == 0, result.stderr[-3000:]
    # the runner on the plain config, in this process
    from mmengine.runner import Runner
    cfg = Config.fromfile(DISTILL)
    cfg.merge_from_dict(_parse(options))
    cfg.work_dir = runs['runner'] = str(root / 'runner')
    Runner.from_cfg(cfg).train()
    return runs


def _parse(options):
    action = DictAction(option_strings=[], dest='opts')
    namespace = type('N', (), {})()
    action(None, namespace, options)
    return namespace.opts


def _weights(work_dir):
    ckpt = torch.load(
        osp.join(work_dir, f'iter_{ITERS}.pth'), weights_only=True)
    return ckpt['state_dict']


def test_every_entry_point_trains_the_same_student(trained):
    ours = _weights(trained['ours'])
    assert any(k.startswith('labellers.1.averaged.') for k in ours)
    for other in ('mmseg', 'runner'):
        theirs = _weights(trained[other])
        assert theirs.keys() == ours.keys()
        for key, value in ours.items():
            assert torch.equal(theirs[key], value), (other, key)


def test_init_model_and_inference_model_segment_as_the_api(
        trained, tiny_world, world_clip):
    from mmseg.apis import MMSegInferencer, inference_model, init_model

    from vlkd_seg.apis import init_segmenter, segment
    checkpoint = osp.join(trained['ours'], f'iter_{ITERS}.pth')
    teacher = _parse([
        o for o in _options(tiny_world, 'x') if o.startswith('model.teacher')
    ])
    teacher['model.teacher.checkpoint'] = world_clip
    images = sorted(glob.glob(osp.join(tiny_world, 'img_dir', 'val', '*')))
    assert images
    model = init_model(DISTILL, checkpoint, 'cpu', cfg_options=teacher)
    ours = init_segmenter(DISTILL, checkpoint, cfg_options=teacher)
    expected = segment(ours, images)
    for image, sample in zip(images, expected):
        got = inference_model(model, image).pred_sem_seg.data
        assert torch.equal(got, sample.pred_sem_seg.data), image
    assert model.dataset_meta['unseen_idx'] == [2, 4, 7]
    inferencer = MMSegInferencer(
        model=_config(teacher), weights=checkpoint, device='cpu')
    out = inferencer(images[0], return_datasamples=True)
    np.testing.assert_array_equal(out.pred_sem_seg.data.numpy(),
                                  expected[0].pred_sem_seg.data.numpy())


def _config(options):
    cfg = Config.fromfile(DISTILL)
    cfg.merge_from_dict(options)
    return cfg
