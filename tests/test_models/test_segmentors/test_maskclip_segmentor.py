import pytest
import torch
import torch.nn.functional as F
from mmengine.registry import init_default_scope
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample

from vlkd_seg.models import MaskCLIPSegmentor
from vlkd_seg.utils import UserError


def _segmentor(config, tmp_path, **kwargs):
    torch.manual_seed(0)
    init_default_scope('mmseg')
    return MODELS.build(
        dict(
            type='MaskCLIPSegmentor',
            teacher=dict(
                type='CLIPTeacher',
                model_name=config,
                templates='single',
                text_cache_dir=str(tmp_path / 'cache')),
            class_names=['disc', 'square', 'star'],
            **kwargs))


def _samples(n, h, w):
    return [
        SegDataSample(
            metainfo=dict(
                ori_shape=(h, w),
                img_shape=(h, w),
                pad_shape=(h, w),
                padding_size=[0, 0, 0, 0])) for _ in range(n)
    ]


def test_whole_inference_labels_every_pixel(clip_configs, tmp_path):
    model = _segmentor(clip_configs['vit'], tmp_path)
    inputs = torch.randn(2, 3, 40, 56)
    logits = model.encode_decode(inputs, [])
    expected = F.interpolate(
        model.teacher.dense_logits(inputs, model.text),
        size=(40, 56),
        mode='bilinear',
        align_corners=False)
    torch.testing.assert_close(logits, expected)
    results = model.predict(inputs, _samples(2, 40, 56))
    pred = results[0].pred_sem_seg.data
    assert pred.shape == (1, 40, 56) and int(pred.max()) < 3
    assert torch.equal(pred[0], expected[0].argmax(0))


def test_slide_inference_and_sizes_off_the_stride(clip_configs, tmp_path):
    model = _segmentor(
        clip_configs['rn'],
        tmp_path,
        test_cfg=dict(mode='slide', crop_size=(64, 64), stride=(32, 32)))
    results = model.predict(torch.randn(1, 3, 80, 100), _samples(1, 80, 100))
    assert results[0].seg_logits.data.shape == (3, 80, 100)
    assert model.encode_decode(torch.randn(1, 3, 50, 70),
                               []).shape == (1, 3, 50, 70)


def test_vocabulary_swap_changes_channels_not_weights(clip_configs, tmp_path):
    model = _segmentor(clip_configs['vit'], tmp_path)
    before = {k: v.clone() for k, v in model.state_dict().items()}
    model.set_vocabulary(['cat', 'dog', 'cow', 'sheep', 'horse'])
    assert model.num_classes == 5
    assert model.encode_decode(torch.randn(1, 3, 32, 32), []).shape[1] == 5
    for key, value in model.state_dict().items():
        assert torch.equal(value, before[key]), key


def test_training_is_refused_with_a_pointer(clip_configs, tmp_path):
    model = _segmentor(clip_configs['vit'], tmp_path)
    with pytest.raises(UserError, match='training-free'):
        model.loss(torch.randn(1, 3, 32, 32), _samples(1, 32, 32))
    assert isinstance(model, MaskCLIPSegmentor)
