import pytest
import torch
import torch.nn.functional as F
from mmengine.config import ConfigDict
from mmengine.registry import init_default_scope
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample
from mmengine.structures import PixelData

NAMES = ['background', 'disc', 'square']


def _head(**kwargs):
    return dict(
        dict(
            type='FCNHead',
            in_channels=16,
            in_index=0,
            channels=8,
            num_convs=1,
            concat_input=False,
            num_classes=8,
            norm_cfg=dict(type='BN'),
            dropout_ratio=0.), **kwargs)


def _model(**kwargs):
    init_default_scope('mmseg')
    torch.manual_seed(0)
    cfg = dict(
        type='TextEncoderDecoder',
        embed_dim=8,
        backbone=dict(
            type='ResNetV1c',
            depth=18,
            stem_channels=8,
            base_channels=8,
            num_stages=2,
            out_indices=(1, ),
            strides=(1, 2),
            dilations=(1, 1)),
        decode_head=_head(),
        test_cfg=dict(mode='whole'))
    cfg.update(kwargs)
    return MODELS.build(ConfigDict(cfg))


def _vocabulary(model, k=3, seed=0):
    text = torch.randn(k, 8, generator=torch.Generator().manual_seed(seed))
    model.vocabulary.set(NAMES[:k] + [f'c{i}' for i in range(k - 3)], text)
    return F.normalize(text, dim=1)


def _samples(n=1, size=32):
    meta = dict(
        img_shape=(size, size),
        ori_shape=(size, size),
        pad_shape=(size, size),
        padding_size=[0, 0, 0, 0])
    return [
        SegDataSample(
            metainfo=meta,
            gt_sem_seg=PixelData(data=torch.randint(0, 3, (1, size, size))))
        for _ in range(n)
    ]


def test_logits_are_the_head_embeddings_against_the_vocabulary():
    model = _model().eval()
    text = _vocabulary(model)
    x = torch.randn(1, 3, 32, 32)
    emb = model.decode_head(model.extract_feat(x))
    expected = torch.einsum('ndhw,kd->nkhw', F.normalize(emb, dim=1),
                            text) / 0.07
    torch.testing.assert_close(model(x, mode='tensor'), expected)
    assert model.num_classes == model.out_channels == 3
    # one call changes the vocabulary; nothing else holds a count
    _vocabulary(model, k=5, seed=1)
    assert model(x, mode='tensor').shape[1] == model.num_classes == 5
    assert model.predict(x, _samples())[0].seg_logits.data.shape[0] == 5


def test_slide_inference_and_training_use_the_vocabulary():
    model = _model(
        test_cfg=dict(mode='slide', crop_size=(16, 16), stride=(8, 8)))
    _vocabulary(model)
    losses = model.loss(torch.randn(2, 3, 32, 32), _samples(2))
    assert set(losses) == {'decode.loss_ce', 'decode.acc_seg'}
    model.eval()
    pred = model.predict(torch.randn(1, 3, 32, 32), _samples())
    assert pred[0].seg_logits.data.shape == (3, 32, 32)


def test_auxiliary_heads_are_classified_against_the_same_texts():
    model = _model(
        auxiliary_head=_head(
            loss_decode=dict(type='CrossEntropyLoss', loss_weight=0.4)))
    _vocabulary(model)
    losses = model.loss(torch.randn(2, 3, 32, 32), _samples(2))
    assert 'aux.loss_ce' in losses


def test_a_head_outside_the_text_space_is_refused():
    with pytest.raises(ValueError, match='set num_classes=8'):
        _model(decode_head=_head(num_classes=3))


def test_no_vocabulary_says_how_to_set_one():
    with pytest.raises(ValueError, match='set_vocabulary'):
        _model()(torch.randn(1, 3, 32, 32), mode='tensor')


def test_dot_mode_dots_the_head_features_with_the_texts():
    """The MaskCLIP+ release: features of the CLIP dimension, no projection;
    the head's conv_seg is a fixed identity, also after init_weights."""
    model = _model(
        classifier=dict(mode='dot'),
        decode_head=dict(
            type='DeepLabV2Head',
            in_channels=16,
            channels=8,
            num_classes=8,
            dilations=(1, 2),
            dropout_ratio=0.))
    model.init_weights()
    model.eval()
    text = _vocabulary(model)
    assert not model.decode_head.conv_seg.weight.requires_grad
    x = torch.randn(1, 3, 32, 32)
    feats = model.decode_head._forward_feature(model.extract_feat(x))
    expected = torch.einsum('ndhw,kd->nkhw', feats, text)
    torch.testing.assert_close(model(x, mode='tensor'), expected)
    with pytest.raises(ValueError, match='set its channels to 8'):
        _model(classifier=dict(mode='dot'), decode_head=_head(channels=6))


def test_pixels_below_the_unknown_threshold_are_unknown():
    """SSIW's test: a pixel whose most likely class has probability < 0.5
    is 255; exactly those."""
    model = _model(test_cfg=dict(mode='whole', unknown_thresh=0.5))
    _vocabulary(model)
    logits = torch.zeros(1, 3, 2, 2)
    logits[0, 1, 0, 0] = 5.  # sure: disc
    logits[0, 2, 0, 1] = 0.6  # 0.48: unknown
    logits[0, 2, 1, 1] = 0.8  # 0.53: square
    sample = SegDataSample(
        metainfo=dict(
            img_shape=(2, 2), ori_shape=(2, 2), padding_size=[0, 0, 0, 0]))
    pred = model.postprocess_result(logits, [sample])[0].pred_sem_seg.data
    assert pred.tolist() == [[[1, 255], [255, 2]]]
    plain = _model()
    _vocabulary(plain)
    plain = plain.postprocess_result(
        logits, [SegDataSample(metainfo=sample.metainfo)])[0].pred_sem_seg.data
    assert plain.tolist() == [[[1, 2], [0, 2]]]
