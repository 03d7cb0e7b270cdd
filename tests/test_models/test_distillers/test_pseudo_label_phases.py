import copy

import torch

from vlkd_seg.datasets import UNLABELED_INDEX
from ._helpers import (UNSEEN, build_distiller, make_batch, set_iter,
                       student_cfg)


def test_pseudo_labels_only_on_unlabeled_pixels_and_unseen_classes(
        clip_configs, tmp_path):
    model = build_distiller(clip_configs, tmp_path)
    _, labels, _ = make_batch()
    source = torch.randn(2, len(UNSEEN), 16, 16)
    merged = model._merge(labels, source)
    unlabeled = labels == UNLABELED_INDEX
    assert torch.equal(merged[~unlabeled], labels[~unlabeled])
    assert set(merged[unlabeled].unique().tolist()) <= set(UNSEEN)
    assert set(merged[unlabeled].unique().tolist()) == set(UNSEEN)
    before_a = model._merge(labels, None)
    assert set(before_a[unlabeled].unique().tolist()) == {255}
    sure = build_distiller(clip_configs, tmp_path, confidence_thresh=1.01)
    assert set(sure._merge(labels, source)[unlabeled].unique().tolist()) \
        == {255}


def test_annotation_free_labels_every_pixel_from_all_classes(
        clip_configs, tmp_path):
    model = build_distiller(clip_configs, tmp_path, unseen_idx='all')
    labels = torch.full((1, 1, 8, 8), UNLABELED_INDEX)
    source = torch.zeros(1, 5, 8, 8)
    source[:, 3] = 1  # a seen class wins everywhere
    assert set(model._merge(labels, source).unique().tolist()) == {3}


def test_pseudo_source_restricts_to_unseen_classes(clip_configs, tmp_path):
    model = build_distiller(clip_configs, tmp_path)
    logits = torch.randn(1, 5, 4, 4)
    torch.testing.assert_close(
        model._pseudo_source('self', None, logits, None), logits[:, UNSEEN])
    feats = torch.nn.functional.normalize(torch.randn(1, 32, 4, 4), dim=1)
    expected = 100 * torch.einsum('ndhw,kd->nkhw', feats,
                                  model.text[UNSEEN])
    torch.testing.assert_close(
        model._pseudo_source('teacher', None, logits, (feats, None)), expected)
    assert model._pseudo_source('none', None, logits, (feats, None)) is None


def test_switch_to_self_training_happens_at_b(clip_configs, tmp_path,
                                              monkeypatch):
    model = build_distiller(clip_configs, tmp_path)
    phases = []
    for i in range(6):
        set_iter(i)
        phases.append(model.phase())
    assert phases == ['none', 'none', 'teacher', 'teacher', 'self', 'self']
    calls = []
    original = model.teacher_features
    monkeypatch.setattr(model, 'teacher_features',
                        lambda x: calls.append(1) or original(x))
    for i in (3, 4):
        set_iter(i)
        inputs, _, samples = make_batch()
        model.loss(inputs, samples)
    assert calls == [1]  # the teacher ran at a <= 3 < b only
    set_iter(0)


def test_refined_teacher_labels_are_the_pseudo_labels(clip_configs, tmp_path):
    teacher = dict(
        type='CLIPTeacher',
        model_name=clip_configs['vit'],
        templates='single',
        text_cache_dir=str(tmp_path / 'cache'),
        key_smoothing_thresh=1.01,
        prompt_denoising_thresh=0.5)
    model = build_distiller(clip_configs, tmp_path, teacher=teacher)
    inputs, labels, _ = make_batch()
    feats, keys = model.teacher_features(inputs)
    assert keys is not None
    refined = model.teacher.logits_from_features(feats, keys,
                                                 model.text[UNSEEN])
    merged = model._merge(
        labels, model._pseudo_source('teacher', inputs, None, (feats, keys)))
    expected = model._merge(labels, 100 * refined)
    assert torch.equal(merged, expected)
    cosine = torch.einsum('ndhw,kd->nkhw', feats,
                          model.text[UNSEEN])
    assert not torch.equal(merged, model._merge(labels, 100 * cosine))


def test_self_training_labels_come_from_a_dropout_free_head(
        clip_configs, tmp_path):
    student = student_cfg()
    student['decode_head']['dropout_ratio'] = 0.5
    model = build_distiller(clip_configs, tmp_path, student=student).train()
    inputs, labels, samples = make_batch()
    head = model.student.decode_head
    feats = model.student.extract_feat(inputs)
    with torch.no_grad():
        pre = head._forward_feature(feats)
        dropped = model.student.classifier(head.forward(feats), model.text)
    source = model._pseudo_source('self', inputs, dropped, None, pre)
    expected = model.student.classifier(head.conv_seg(pre), model.text)
    torch.testing.assert_close(source, expected[:, UNSEEN])
    assert not torch.allclose(source, dropped[:, UNSEEN])


def test_ema_student_labels_self_training_and_follows_the_student(
        clip_configs, tmp_path):
    model = build_distiller(clip_configs, tmp_path, self_train_ema=0.5).train()
    assert not model.ema_student.training  # no dropout in its labels
    optimizer = torch.optim.SGD(model.student.parameters(), lr=0.1)
    inputs, _, samples = make_batch()
    for it in (4, 5):  # self-training
        set_iter(it)
        losses = model.loss(inputs, copy.deepcopy(samples))
        optimizer.zero_grad()
        sum(v for k, v in losses.items() if 'loss' in k).backward()
        optimizer.step()
    set_iter(0)
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
    expected = ema_net.decode(ema_net.extract_feat(inputs), model.text)
    torch.testing.assert_close(source, expected[:, UNSEEN])
    assert len(ema_net.vocabulary) == 0  # it borrows the student's texts


def test_without_teacher_start_unlabeled_pixels_are_ignored_at_any_iter(
        clip_configs, tmp_path):
    model = build_distiller(
        clip_configs, tmp_path, teacher_start=None,
        self_train_start=None).train()
    image_calls = []
    for module in model.teacher.clip.visual.modules():
        module.register_forward_pre_hook(
            lambda mod, args: image_calls.append(type(mod).__name__))
    inputs, _, samples = make_batch()
    ignored = copy.deepcopy(samples)
    for sample in ignored:
        label = sample.gt_sem_seg.data
        label[label == UNLABELED_INDEX] = 255
    head = model.student.decode_head
    for it in (0, 2, 4, 10**6):
        set_iter(it)
        assert model.phase() == 'none'
        losses = model.loss(inputs, samples)
        logits = model.student.decode(model.student.extract_feat(inputs))
        expected = head.loss_by_feat(logits, ignored)['loss_ce']
        torch.testing.assert_close(losses['decode.loss_ce'], expected)
        assert losses['pseudo_frac'].item() == 0
    assert image_calls == []  # the teacher never saw an image
