import copy

import pytest
import torch
from mmengine.config import ConfigDict
from mmengine.logging import MessageHub
from mmengine.registry import init_default_scope
from mmengine.structures import PixelData
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample

from vlkd_seg.datasets import UNLABELED_INDEX

NAMES = ['background', 'disc', 'square', 'triangle', 'ring']
UNSEEN = [2, 4]


def _student(embed_dim=32, text_head=True):
    norm = dict(type='BN', requires_grad=True)
    head = dict(
        type='FCNHead',
        in_channels=32,
        in_index=0,
        channels=16,
        num_convs=1,
        concat_input=False,
        num_classes=len(NAMES),
        norm_cfg=norm,
        align_corners=False,
        dropout_ratio=0.0)
    return dict(
        type='EncoderDecoder',
        backbone=dict(
            type='ResNetV1c',
            depth=18,
            stem_channels=8,
            base_channels=8,
            num_stages=3,
            out_indices=(2, ),
            strides=(1, 2, 2),
            dilations=(1, 1, 1),
            norm_cfg=norm),
        decode_head=dict(
            type='TextClassifierHead', embed_dim=embed_dim, head=head)
        if text_head else head,
        test_cfg=dict(mode='whole'))


def _distiller(clip_configs, tmp_path, **kwargs):
    init_default_scope('mmseg')
    torch.manual_seed(0)
    cfg = dict(
        type='PseudoLabelDistiller',
        data_preprocessor=dict(
            type='SegDataPreProcessor',
            mean=[123.675, 116.28, 103.53],
            std=[58.395, 57.12, 57.375],
            size=(64, 64)),
        student=_student(),
        teacher=dict(
            type='CLIPTeacher',
            model_name=clip_configs['rn'],
            templates='single',
            text_cache_dir=str(tmp_path / 'cache')),
        class_names=NAMES,
        unseen_idx=UNSEEN,
        teacher_start=2,
        self_train_start=4)
    cfg.update(kwargs)
    return MODELS.build(ConfigDict(cfg))


def _batch(seed=0):
    g = torch.Generator().manual_seed(seed)
    inputs = torch.randn(2, 3, 64, 64, generator=g)
    labels = torch.randint(0, 5, (2, 1, 64, 64), generator=g)
    labels[torch.isin(labels, torch.tensor(UNSEEN))] = UNLABELED_INDEX
    samples = []
    for label in labels:
        sample = SegDataSample(
            metainfo=dict(
                img_shape=(64, 64),
                pad_shape=(64, 64),
                ori_shape=(64, 64),
                padding_size=[0, 0, 0, 0]))
        sample.gt_sem_seg = PixelData(data=label.clone())
        samples.append(sample)
    return inputs, labels, samples


def _set_iter(i):
    MessageHub.get_current_instance().update_info('iter', i)


def test_pseudo_labels_only_on_unlabeled_pixels_and_unseen_classes(
        clip_configs, tmp_path):
    model = _distiller(clip_configs, tmp_path)
    _, labels, _ = _batch()
    source = torch.randn(2, len(UNSEEN), 16, 16)
    merged = model._merge(labels, source)
    unlabeled = labels == UNLABELED_INDEX
    assert torch.equal(merged[~unlabeled], labels[~unlabeled])
    assert set(merged[unlabeled].unique().tolist()) <= set(UNSEEN)
    assert set(merged[unlabeled].unique().tolist()) == set(UNSEEN)
    before_a = model._merge(labels, None)
    assert set(before_a[unlabeled].unique().tolist()) == {255}
    sure = _distiller(clip_configs, tmp_path, confidence_thresh=1.01)
    assert set(sure._merge(labels, source)[unlabeled].unique().tolist()) \
        == {255}


def test_annotation_free_labels_every_pixel_from_all_classes(
        clip_configs, tmp_path):
    model = _distiller(clip_configs, tmp_path, unseen_idx='all')
    labels = torch.full((1, 1, 8, 8), UNLABELED_INDEX)
    source = torch.zeros(1, 5, 8, 8)
    source[:, 3] = 1  # a seen class wins everywhere
    assert set(model._merge(labels, source).unique().tolist()) == {3}


def test_pseudo_source_restricts_to_unseen_classes(clip_configs, tmp_path):
    model = _distiller(clip_configs, tmp_path)
    logits = torch.randn(1, 5, 4, 4)
    torch.testing.assert_close(
        model._pseudo_source('self', None, logits, None), logits[:, UNSEEN])
    feats = torch.nn.functional.normalize(torch.randn(1, 32, 4, 4), dim=1)
    expected = 100 * torch.einsum('ndhw,kd->nkhw', feats,
                                  model.classifier.text[UNSEEN])
    torch.testing.assert_close(
        model._pseudo_source('teacher', None, logits, (feats, None)), expected)
    assert model._pseudo_source('none', None, logits, (feats, None)) is None


def test_switch_to_self_training_happens_at_b(clip_configs, tmp_path,
                                              monkeypatch):
    model = _distiller(clip_configs, tmp_path)
    phases = []
    for i in range(6):
        _set_iter(i)
        phases.append(model.phase())
    assert phases == ['none', 'none', 'teacher', 'teacher', 'self', 'self']
    calls = []
    original = model._teacher_features
    monkeypatch.setattr(model, '_teacher_features',
                        lambda x: calls.append(1) or original(x))
    for i in (3, 4):
        _set_iter(i)
        inputs, _, samples = _batch()
        model.loss(inputs, samples)
    assert calls == [1]  # the teacher ran at a <= 3 < b only
    _set_iter(0)


def test_teacher_gets_no_gradient_and_student_loss_falls(
        clip_configs, tmp_path):
    model = _distiller(
        clip_configs,
        tmp_path,
        feature_distill_weight=1.0,
        image_distill=dict(loss='feature_mse_loss'))
    teacher_before = copy.deepcopy(model.teacher.state_dict())
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    inputs, _, samples = _batch()
    _set_iter(2)
    model.train()
    totals = []
    for _ in range(25):
        losses = model.loss(inputs, copy.deepcopy(samples))
        assert {'decode.loss_ce', 'loss_feat_distill',
                'loss_image_distill'} <= set(losses)
        total = sum(v for k, v in losses.items() if 'loss' in k)
        optimizer.zero_grad()
        total.backward()
        assert all(p.grad is None for p in model.teacher.parameters())
        optimizer.step()
        totals.append(total.item())
    _set_iter(0)
    assert totals[-1] < 0.7 * totals[0]
    for key, value in model.teacher.state_dict().items():
        assert torch.equal(value, teacher_before[key]), key


def test_vocabulary_swap_changes_channels_not_weights(clip_configs, tmp_path):
    model = _distiller(clip_configs, tmp_path)
    student_before = copy.deepcopy(model.student.state_dict())
    model.set_vocabulary(['cat', 'dog', 'horse'])
    inputs, _, samples = _batch()
    model.eval()
    out = model.predict(inputs, samples)
    assert out[0].seg_logits.data.shape[0] == 3
    for key, value in model.student.state_dict().items():
        if not key.endswith('conv_seg.text'):
            assert torch.equal(value, student_before[key]), key


def test_checkpoints_leave_the_teacher_out_and_load_back(
        clip_configs, tmp_path):
    model = _distiller(clip_configs, tmp_path)
    state = model.state_dict()
    assert not any(k.startswith('teacher.') for k in state)
    other = _distiller(clip_configs, tmp_path)
    other.load_state_dict(state, strict=True)
    for key, value in state.items():
        assert torch.equal(other.state_dict()[key], value)


def test_unseen_labels_in_a_target_are_caught(clip_configs, tmp_path):
    model = _distiller(clip_configs, tmp_path)
    inputs, _, samples = _batch()
    samples[0].gt_sem_seg.data[0, 0, 0] = UNSEEN[0]
    with pytest.raises(RuntimeError, match='leaked'):
        model.loss(inputs, samples)


@pytest.mark.parametrize(
    'loss',
    [dict(loss='image_contrastive_loss'),
     dict(loss='vl_proximal_loss', k=3)])
def test_image_level_losses_on_pooled_pixel_embeddings(clip_configs, tmp_path,
                                                       loss):
    model = _distiller(clip_configs, tmp_path, image_distill=loss)
    inputs, _, samples = _batch()
    _set_iter(2)
    model.train()
    value = model.loss(inputs, samples)['loss_image_distill']
    assert torch.isfinite(value)
    value.backward()
    proj = model.classifier.proj.weight.grad
    assert proj is not None and torch.isfinite(proj).all()
    _set_iter(0)


@pytest.mark.parametrize('kwargs, match', [
    (dict(teacher_start=5, self_train_start=5), r'b=5\) must come after'),
    (dict(teacher_start=5, self_train_start=3), r'b=3\) must come after'),
    (dict(student=_student(embed_dim=16)), 'embeds into 16 dimensions'),
    (dict(student=_student(text_head=False)), 'has no text classifier'),
    (dict(image_distill=dict(loss='nope')), 'image_distill.loss'),
    (dict(image_distill=dict(loss='clip_classification_loss')),
     'needs image labels'),
    (dict(unseen_idx=[7]), r'unseen_idx \[7\] outside'),
])
def test_bad_configurations_fail_at_build(clip_configs, tmp_path, kwargs,
                                          match):
    with pytest.raises(ValueError, match=match):
        _distiller(clip_configs, tmp_path, **kwargs)


def test_ema_student_labels_self_training_and_follows_the_student(
        clip_configs, tmp_path):
    model = _distiller(clip_configs, tmp_path, self_train_ema=0.5).train()
    assert not model.ema_student.training  # no dropout in its labels
    optimizer = torch.optim.SGD(model.student.parameters(), lr=0.1)
    inputs, _, samples = _batch()
    for it in (4, 5):  # self-training
        _set_iter(it)
        losses = model.loss(inputs, copy.deepcopy(samples))
        optimizer.zero_grad()
        sum(v for k, v in losses.items() if 'loss' in k).backward()
        optimizer.step()
    _set_iter(0)
    ema = dict(model.ema_student.named_parameters())
    for name, value in model.student.named_parameters():
        assert not ema[name].requires_grad
    # two updates at decay 0.5: a copy, then halfway to the stepped weights
    weight = 'backbone.stem.0.weight'
    assert not torch.equal(ema[weight],
                           dict(model.student.named_parameters())[weight])
    source = model._pseudo_source('self', inputs, torch.zeros(2, 5, 16, 16),
                                  None)
    ema_net = model.ema_student
    expected = ema_net.decode_head.forward(ema_net.extract_feat(inputs))
    torch.testing.assert_close(source, expected[:, UNSEEN])


def test_ema_and_swapped_vocabulary_load_from_a_checkpoint(
        clip_configs, tmp_path):
    model = _distiller(clip_configs, tmp_path, self_train_ema=0.99)
    state = model.state_dict()
    assert any(k.startswith('ema_student.') for k in state)
    other = _distiller(
        clip_configs,
        tmp_path,
        self_train_ema=0.99,
        class_names=['cat', 'dog', 'horse', 'cow', 'bird'])
    other.set_vocabulary(['cat', 'dog'])
    other.load_state_dict(state, strict=True)
    assert other.classifier.text.shape[0] == 2


def test_refined_teacher_labels_are_the_pseudo_labels(clip_configs, tmp_path):
    teacher = dict(
        type='CLIPTeacher',
        model_name=clip_configs['vit'],
        templates='single',
        text_cache_dir=str(tmp_path / 'cache'),
        key_smoothing_thresh=1.01,
        prompt_denoising_thresh=0.5)
    model = _distiller(clip_configs, tmp_path, teacher=teacher)
    inputs, labels, _ = _batch()
    feats, keys = model._teacher_features(inputs)
    assert keys is not None
    refined = model.teacher.logits_from_features(feats, keys,
                                                 model.classifier.text[UNSEEN])
    merged = model._merge(
        labels, model._pseudo_source('teacher', inputs, None, (feats, keys)))
    expected = model._merge(labels, 100 * refined)
    assert torch.equal(merged, expected)
    cosine = torch.einsum('ndhw,kd->nkhw', feats,
                          model.classifier.text[UNSEEN])
    assert not torch.equal(merged, model._merge(labels, 100 * cosine))


def test_refinement_without_teacher_labels_is_refused(clip_configs, tmp_path):
    teacher = dict(
        type='CLIPTeacher',
        model_name=clip_configs['rn'],
        templates='single',
        text_cache_dir=str(tmp_path / 'cache'),
        prompt_denoising_thresh=0.5)
    with pytest.raises(ValueError, match='never takes labels from it'):
        _distiller(
            clip_configs,
            tmp_path,
            teacher=teacher,
            teacher_start=None,
            self_train_start=None)


def test_self_training_labels_come_from_a_dropout_free_head(
        clip_configs, tmp_path):
    student = _student()
    student['decode_head']['head']['dropout_ratio'] = 0.5
    model = _distiller(clip_configs, tmp_path, student=student).train()
    inputs, labels, samples = _batch()
    head = model.student.decode_head
    feats = model.student.extract_feat(inputs)
    with torch.no_grad():
        pre = head._forward_feature(feats)
        dropped = head.forward(feats)
    source = model._pseudo_source('self', inputs, dropped, None, pre)
    torch.testing.assert_close(source, head.conv_seg(pre)[:, UNSEEN])
    assert not torch.allclose(source, dropped[:, UNSEEN])
