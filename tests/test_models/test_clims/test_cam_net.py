"""CAMNet: the baseline CAM's multi-label loss, CLIMS's CLIP-judged
training of the same maps, and the maps as labels at test."""
import pytest
import torch
import torch.nn.functional as F
from mmengine.config import ConfigDict
from mmengine.registry import init_default_scope
from mmengine.structures import PixelData
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample

from vlkd_seg.utils.errors import ConfigError, SetupError

NAMES = ['background', 'disc', 'square', 'ring']


def _model(clip_configs=None, **kwargs):
    init_default_scope('mmseg')
    torch.manual_seed(0)
    cfg = dict(
        type='CAMNet',
        class_names=NAMES,
        in_channels=32,
        data_preprocessor=dict(
            type='SegDataPreProcessor',
            mean=[123.675, 116.28, 103.53],
            std=[58.395, 57.12, 57.375]),
        backbone=dict(
            type='ResNetV1c',
            depth=18,
            stem_channels=8,
            base_channels=8,
            num_stages=3,
            out_indices=(2, ),
            strides=(1, 2, 2),
            dilations=(1, 1, 1)))
    if clip_configs is not None:
        cfg.update(
            mode='clims',
            teacher=dict(
                type='CLIPTeacher',
                model_name=clip_configs['rn'],
                templates='single',
                text_cache_dir=''),
            background_texts=['grass', 'sky'],
            loss=dict(type='CLIPJudgedCAMLoss', input_size=64))
    cfg.update(kwargs)
    return MODELS.build(ConfigDict(cfg))


def _batch(tags=([0, 1], [0, 2, 3])):
    inputs = torch.randn(
        len(tags), 3, 32, 32, generator=torch.Generator().manual_seed(0))
    samples = []
    for own in tags:
        sample = SegDataSample(
            metainfo=dict(
                img_tags=list(own),
                img_shape=(32, 32),
                ori_shape=(32, 32),
                padding_size=[0, 0, 0, 0]))
        sample.gt_sem_seg = PixelData(
            data=torch.full((1, 32, 32), 254, dtype=torch.long))
        samples.append(sample)
    return inputs, samples


def test_the_baseline_is_multilabel_classification_of_pooled_maps():
    model = _model()
    inputs, samples = _batch()
    loss = model.loss(inputs, samples)['loss_cls']
    pooled = model.classifier(
        model.extract_feat(inputs).mean((2, 3), keepdim=True)).flatten(1)
    tags = torch.tensor([[1., 0, 0], [0, 1, 1]])  # background is no tag
    assert torch.allclose(
        loss, F.multilabel_soft_margin_loss(pooled, tags), atol=1e-6)


def test_clims_trains_the_tagged_maps_through_a_frozen_clip(clip_configs):
    model = _model(clip_configs)
    inputs, samples = _batch()
    seen = []
    original = model.cam_loss.forward
    model.cam_loss.forward = lambda maps, images, pairs, *rest: seen.append(
        pairs) or original(maps, images, pairs, *rest)
    losses = model.loss(inputs, samples)
    assert seen[0].tolist() == [[0, 0], [1, 1], [1, 2]]
    assert set(losses) == {
        'loss_object', 'loss_background', 'loss_suppression', 'loss_area'
    }
    sum(losses.values()).backward()
    assert model.classifier.weight.grad.abs().sum() > 0
    assert all(p.grad is None for p in model.teacher.parameters())
    assert not any(k.startswith('teacher.') for k in model.state_dict())


def test_the_maps_are_labels_with_a_background_threshold():
    model = _model(background_thresh=0.5).eval()
    inputs, samples = _batch()
    with torch.no_grad():
        maps = model._forward(inputs)
        out = model.predict(inputs, samples)
    up = F.interpolate(maps, (32, 32), mode='bilinear', align_corners=False)
    expected = torch.cat([torch.full_like(up[:, :1], 0.5), up], 1).argmax(1)
    for sample, labels in zip(out, expected):
        assert torch.equal(sample.pred_sem_seg.data[0], labels)


def test_with_tags_only_the_tagged_classes_are_found():
    model = _model(background_thresh=0.0, test_cfg=dict(use_tags=True))
    model.eval()
    inputs, samples = _batch(tags=([0, 2], [3]))
    with torch.no_grad():
        out = model.predict(inputs, samples)
    assert set(out[0].pred_sem_seg.data.unique().tolist()) <= {0, 2}
    assert set(out[1].pred_sem_seg.data.unique().tolist()) <= {0, 3}


@pytest.mark.parametrize('kwargs, match', [
    (dict(mode='cam'), 'mode must be one of'),
    (dict(mode='clims'), 'needs its CLIP judge'),
    (dict(background_idx=4), 'background_idx 4 is not a class'),
    (dict(background_thresh=2), 'background_thresh must be a number in'),
])
def test_bad_settings_are_named(kwargs, match):
    with pytest.raises(ConfigError, match=match):
        _model(**kwargs)


def test_samples_without_tags_are_named():
    model = _model()
    inputs, samples = _batch()
    samples[0].set_metainfo(dict(img_tags=None))
    with pytest.raises(SetupError, match='no img_tags'):
        model.loss(inputs, samples)
