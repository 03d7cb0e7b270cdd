"""Checks that need a CUDA GPU (``make test-gpu``); skipped, with the
reason, where none is visible."""
import os.path as osp
import re
import subprocess
import sys

import pytest
import torch
from mmengine.config import ConfigDict
from mmengine.registry import init_default_scope
from mmseg.registry import MODELS

from vlkd_seg.utils import load_config
from .conftest import REPO, tiny_overrides, tiny_recipe_model
from .test_models.test_device_state import _seg_batch

pytestmark = pytest.mark.gpu
DISTILL_CONFIG = osp.join(REPO, 'configs', 'demo',
                          'maskclip-plus_fcn-r18-tiny_synthetic-world.py')


def test_distiller_runs_every_phase_on_cuda(clip_configs):
    init_default_scope('mmseg')
    cfg = load_config(DISTILL_CONFIG)
    cfg.model.labellers[0].start, cfg.model.labellers[1].start = 1, 2
    model = MODELS.build(tiny_recipe_model(cfg.model, clip_configs))
    model = model.cuda().train()
    inputs, samples = _seg_batch(
        len(model.class_names), model.unseen_idx, dtype=torch.float32)
    inputs = inputs.cuda()
    samples = [s.to('cuda') for s in samples]
    for it in range(3):
        model.set_train_iter(it)
        losses = model.loss(inputs, samples)
        total = sum(v for k, v in losses.items() if 'loss' in k)
        assert total.is_cuda and torch.isfinite(total)
        total.backward()
    out = model.eval().predict(inputs, samples)
    assert out[0].seg_logits.data.is_cuda


def test_demo_distiller_trains_with_amp_and_evaluates(tiny_world, world_clip,
                                                      tmp_path):
    teacher = world_clip
    work_dir = tmp_path / 'work'
    result = subprocess.run([
        sys.executable,
        osp.join(REPO, 'tools', 'train.py'), DISTILL_CONFIG, '--amp',
        '--work-dir',
        str(work_dir), '--cfg-options', *[
            o for o in tiny_overrides(tiny_world, 10)
            if not o.startswith('model.')
        ], f'model.teacher.checkpoint={teacher}', 'model.labellers.1.start=5'
    ],
                            capture_output=True,
                            text=True,
                            cwd=REPO)
    assert result.returncode == 0, result.stderr[-3000:]
    log = open(next(work_dir.glob('*/*.log'))).read()
    assert 'AmpOptimWrapper' in open(next(work_dir.glob('*.py'))).read()
    losses = [float(v) for v in re.findall(r' loss: (\S+)', log)]
    assert len(losses) == 10 and all(v == v for v in losses)  # no NaN
    assert re.search(r'Iter\(val\).*mIoU_unseen: \d', log)
    assert (work_dir / 'iter_10.pth').is_file()


def test_maskclip_segmentor_in_bf16_matches_fp32(clip_configs):
    init_default_scope('mmseg')
    cfg = load_config(
        osp.join(REPO, 'configs', 'maskclip',
                 'maskclip_vit-b16_voc12aug-20.py'))
    cfg.model.test_cfg = ConfigDict(mode='whole')
    model_cfg = tiny_recipe_model(cfg.model, clip_configs)
    outputs = {}
    for precision in ('fp32', 'bf16'):
        model_cfg.teacher.precision = precision
        torch.manual_seed(0)
        model = MODELS.build(model_cfg).cuda().eval()
        inputs, samples = _seg_batch(20, [], size=64, dtype=torch.float32)
        with torch.no_grad():
            out = model.predict(inputs.cuda(), samples)
        outputs[precision] = torch.stack([o.seg_logits.data for o in out])
    bf16 = outputs['bf16']
    assert bf16.is_cuda and bf16.dtype == torch.float32
    assert torch.isfinite(bf16).all()
    # bf16 keeps 8 mantissa bits (relative error ~0.4% per operation);
    # through two blocks the cosine logits stay within 0.05 of fp32
    assert (bf16 - outputs['fp32']).abs().max() < 0.05


def test_benchmark_times_on_cuda(clip_configs):
    result = subprocess.run([
        sys.executable,
        osp.join(REPO, 'tools', 'benchmark.py'), 'teacher', '--device', 'cuda',
        '--arch', clip_configs['vit'], '--size', '64', '--repeats', '2'
    ],
                            capture_output=True,
                            text=True,
                            cwd=REPO)
    assert result.returncode == 0, result.stderr[-3000:]
    assert re.search(r'\d+\.\d+ ms', result.stdout)
