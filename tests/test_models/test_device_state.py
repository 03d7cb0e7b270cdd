"""State follows the module: every tensor a model uses is a parameter or a
buffer, so ``.to(device)`` / ``.to(dtype)`` moves all of it.

On a CPU machine ``.to(torch.float64)`` stands in for ``.cuda()``: a tensor
kept as a plain attribute stays float32 and shows up in the outputs (or as
a dtype error), exactly where it would stay on the CPU in a GPU run.
"""
import glob
import os.path as osp

import pytest
import torch
from mmengine.config import ConfigDict
from mmengine.registry import init_default_scope
from mmengine.structures import PixelData
from mmpretrain.registry import MODELS as CLS_MODELS
from mmpretrain.structures import DataSample
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample
from torch import Tensor, nn

# every recipe under configs/ (kd, maskclip, maskclip_plus, vlkd_cls,
from vlkd_seg.utils import load_config
from ..conftest import REPO, point_at, tiny_recipe_model
from ..test_classification.authors_files import write_authors_folder

# demo), not the bases
RECIPES = sorted(
    p for p in glob.glob(
        osp.join(REPO, 'configs', '**', '*.py'), recursive=True)
    if '_base_' not in osp.relpath(p, REPO).split(osp.sep))


def unregistered_tensors(model: nn.Module) -> list:
    """``module.attribute`` names of tensors held outside parameters and
    buffers (directly, or in a list, tuple or dict attribute)."""
    found = []
    for name, module in model.named_modules():
        for attr, value in vars(module).items():
            if attr in ('_parameters', '_buffers'):
                continue
            items = (
                value.values() if isinstance(value, dict) else
                value if isinstance(value, (list, tuple)) else [value])
            if any(isinstance(item, Tensor) for item in items):
                found.append(f'{name or type(model).__name__}.{attr}')
    return found


def _build(path, clip_configs, tmp_path=None, **model):
    cfg = load_config(path)
    cfg.model.update(model)
    if cfg.model.get('class_split', '').startswith('data/li2023'):
        # the authors' lists are the user's files: a fake folder of them
        point_at(cfg, class_split=write_authors_folder(tmp_path / 'li2023'))
    scope = cfg.get('default_scope', 'mmseg')
    init_default_scope(scope)
    registry = CLS_MODELS if scope == 'mmpretrain' else MODELS
    return registry.build(tiny_recipe_model(cfg.model, clip_configs))


def test_the_check_names_a_plain_tensor_attribute():
    model = nn.Sequential(nn.Linear(2, 2))
    model[0].bank = torch.zeros(3)
    model[0].cache = {'a': torch.zeros(1)}
    assert unregistered_tensors(model) == ['0.bank', '0.cache']


@pytest.mark.parametrize(
    'path', RECIPES, ids=lambda p: osp.relpath(p, REPO + '/configs'))
def test_every_recipe_model_registers_its_tensors(path, clip_configs,
                                                  tmp_path):
    model = _build(path, clip_configs, tmp_path)
    assert unregistered_tensors(model) == []


def _seg_batch(num_classes, unseen, size=64, dtype=torch.float64):
    g = torch.Generator().manual_seed(0)
    inputs = torch.randn(2, 3, size, size, generator=g, dtype=dtype)
    labels = torch.randint(0, num_classes, (2, 1, size, size), generator=g)
    meta = dict(
        img_shape=(size, size),
        pad_shape=(size, size),
        ori_shape=(size, size),
        padding_size=[0, 0, 0, 0])
    samples = [
        SegDataSample(metainfo=meta, gt_sem_seg=PixelData(data=label))
        for label in labels
    ]
    return inputs, samples


def _assert_float64(model):
    floats = [
        t for t in list(model.parameters()) + list(model.buffers())
        if t.is_floating_point()
    ]
    assert floats and all(t.dtype == torch.float64 for t in floats)


SEG_MODELS = {
    'maskclip-plus (FCN, text head)':
    'configs/demo/maskclip-plus_fcn-r18-tiny_synthetic-world.py',
    'maskclip-plus (DeepLabV3+)':
    'configs/kd/maskclip-plus_vit-b16_deeplabv3plus-r50_'
    '512x512_20k_voc12aug-20.py',
    'lseg': 'configs/kd/lseg_vit-b16_r50_512x512_20k_voc12aug-20.py',
}


@pytest.mark.parametrize('path', SEG_MODELS.values(), ids=SEG_MODELS.keys())
def test_distiller_runs_every_phase_in_float64(path, clip_configs):
    model = _build(
        osp.join(REPO, path),
        clip_configs,
        labellers=[
            dict(type='TeacherLabeller', start=1),
            dict(type='StudentLabeller', start=2)
        ])
    model = model.to(torch.float64).train()
    _assert_float64(model)
    inputs, samples = _seg_batch(len(model.class_names), model.unseen_idx)
    for it, phase in enumerate(('none', 'teacher', 'self')):
        model.set_train_iter(it)
        assert model.phase() == phase
        losses = model.loss(inputs, samples)
        values = [v for k, v in losses.items() if 'loss' in k]
        assert values and all(v.dtype == torch.float64 for v in values), \
            (phase, {k: v.dtype for k, v in losses.items()})
        sum(v for v in values if v.requires_grad).backward()
    assert unregistered_tensors(model) == []
    model.eval()
    with torch.no_grad():
        out = model.predict(inputs, samples)
    assert out[0].seg_logits.data.dtype == torch.float64


def test_maskclip_segmentor_predicts_in_float64(clip_configs):
    path = osp.join(REPO, 'configs', 'maskclip',
                    'maskclip_vit-b16_voc12aug-20.py')
    model = _build(path, clip_configs).to(torch.float64).eval()
    model.test_cfg = ConfigDict(mode='whole')
    _assert_float64(model)
    inputs, samples = _seg_batch(20, [], size=32)
    with torch.no_grad():
        out = model.predict(inputs, samples)
    assert out[0].seg_logits.data.dtype == torch.float64
    model.set_vocabulary(['cat', 'dog'])
    assert model.text.dtype == torch.float64


def test_classifier_loss_and_predict_in_float64(clip_configs):
    path = osp.join(REPO, 'configs', 'demo',
                    'vlkd-cls_r18-tiny_synthetic-world.py')
    model = _build(path, clip_configs).to(torch.float64)
    model.set_teacher_features('train', torch.randn(4, 32))
    model.set_teacher_features('eval', torch.randn(4, 32))
    _assert_float64(model)
    inputs = torch.randn(4, 3, 64, 64, dtype=torch.float64)
    id_classes = model.split.id_classes
    samples = [
        DataSample(metainfo=dict(sample_idx=i)).set_gt_label(
            id_classes[i % len(id_classes)]) for i in range(4)
    ]
    losses = model.train().loss(inputs, samples)
    assert all(v.dtype == torch.float64 for v in losses.values()), losses
    out = model.eval().predict(inputs, samples)
    assert out[0].pred_score.dtype == torch.float64
    assert out[0].teacher_text_sim.dtype == torch.float64
    assert unregistered_tensors(model) == []


def test_zegclip_trains_and_predicts_in_float64(clip_configs):
    path = osp.join(REPO, 'configs', 'demo',
                    'zegclip_vit-world_synthetic-world.py')
    model = _build(path, clip_configs, self_training_start=1)
    model = model.to(torch.float64).train()
    _assert_float64(model)
    inputs, samples = _seg_batch(len(model.class_names), model.unseen_idx)
    for it in (0, 1):  # inductive, then self-training
        model.set_train_iter(it)
        losses = model.loss(inputs, samples)
        values = [v for k, v in losses.items() if 'loss' in k]
        assert all(v.dtype == torch.float64 for v in values)
        sum(values).backward()
    assert unregistered_tensors(model) == []
    with torch.no_grad():
        out = model.eval().predict(inputs, samples)
    assert out[0].seg_logits.data.dtype == torch.float64
