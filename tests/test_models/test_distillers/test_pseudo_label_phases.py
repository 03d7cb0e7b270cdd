"""The pseudo-labellers: which classes and pixels they label, and when."""
import copy

import torch

from vlkd_seg.datasets import UNLABELED_INDEX
from vlkd_seg.models.distillers import merge_pseudo_labels
from ..test_refiners.test_maskclip_refiners import \
    maskclip_release_refinement
from ._helpers import (LABELLERS, UNSEEN, build_distiller, make_batch,
                       merged_labels, student_cfg, teacher_cfg)


def _batch(model, inputs, samples):
    """The LabelBatch of a training step (teacher features included)."""
    feats = model.student.extract_feat(inputs)
    out = model.student.forward_train_outputs(feats)
    return model._label_batch(inputs, out, samples, True, with_keys=True)


def test_pseudo_labels_only_on_unlabeled_pixels_and_unseen_classes():
    labels = torch.randint(0, 5, (2, 1, 16, 16))
    labels[torch.isin(labels, torch.tensor(UNSEEN))] = UNLABELED_INDEX
    source = torch.randn(2, len(UNSEEN), 16, 16)
    merged = merge_pseudo_labels(labels, source, UNSEEN)
    unlabeled = labels == UNLABELED_INDEX
    assert torch.equal(merged[~unlabeled], labels[~unlabeled])
    assert set(merged[unlabeled].unique().tolist()) == set(UNSEEN)
    before = merge_pseudo_labels(labels, None, UNSEEN)
    assert set(before[unlabeled].unique().tolist()) == {255}


def test_annotation_free_labels_every_pixel_from_all_classes(
        clip_configs, tmp_path, monkeypatch):
    model = build_distiller(clip_configs, tmp_path, unseen_idx='all')
    assert model.candidates() == [0, 1, 2, 3, 4]
    inputs, _, samples = make_batch()
    model.set_train_iter(2)
    merged = merged_labels(model, inputs, samples, monkeypatch)
    assert (merged != 255).all()
    assert model.loss(inputs, samples)['pseudo_frac'] == 1


def test_teacher_labels_are_its_logits_over_the_unseen_classes(
        clip_configs, tmp_path):
    model = build_distiller(clip_configs, tmp_path)
    inputs, _, samples = make_batch()
    batch = _batch(model, inputs, samples)
    feats = batch.teacher_features[0]
    expected = 100 * torch.einsum('ndhw,kd->nkhw', feats, model.text[UNSEEN])
    torch.testing.assert_close(model.labellers[0](batch), expected)


def test_the_labeller_of_an_iteration_is_the_last_started(
        clip_configs, tmp_path, monkeypatch):
    model = build_distiller(clip_configs, tmp_path)
    phases = []
    for i in range(6):
        model.set_train_iter(i)
        phases.append(model.phase())
    assert phases == ['none', 'none', 'teacher', 'teacher', 'self', 'self']
    assert model.self_train_start == 4
    calls = []
    original = model.teacher.dense_features_and_keys
    monkeypatch.setattr(model.teacher, 'dense_features_and_keys',
                        lambda *args: calls.append(1) or original(*args))
    for i in (0, 3, 4):
        model.set_train_iter(i)
        inputs, _, samples = make_batch()
        model.loss(inputs, samples)
    assert calls == [1]  # the teacher ran at 2 <= 3 < 4 only


def test_refined_teacher_labels_are_the_pseudo_labels(clip_configs, tmp_path):
    # the release's 'kspd': denoise, then smooth every location
    refiners = [
        dict(type='PromptDenoising', thresh=0.5),
        dict(type='KeySmoothing', thresh=1.01)
    ]
    model = build_distiller(
        clip_configs,
        tmp_path,
        teacher=teacher_cfg(clip_configs, tmp_path, arch='vit'),
        labellers=[
            dict(type='TeacherLabeller', start=2, refiners=refiners),
            LABELLERS[1]
        ])
    inputs, _, samples = make_batch()
    batch = _batch(model, inputs, samples)
    feats, keys = batch.teacher_features
    cosine = torch.einsum('ndhw,kd->nkhw', feats, model.text[UNSEEN])
    expected = maskclip_release_refinement(cosine, keys, 0.5)
    torch.testing.assert_close(model.labellers[0](batch), expected)
    assert not torch.allclose(expected, 100 * cosine)


def test_self_training_labels_come_from_a_dropout_free_head(
        clip_configs, tmp_path):
    student = student_cfg()
    student['decode_head']['dropout_ratio'] = 0.5
    model = build_distiller(clip_configs, tmp_path, student=student).train()
    inputs, _, samples = make_batch()
    batch = _batch(model, inputs, samples)
    head = model.student.decode_head
    with torch.no_grad():
        pre = head._forward_feature(model.student.extract_feat(inputs))
        expected = model.student.classifier(head.conv_seg(pre), model.text)
    source = model.labellers[1](batch)
    torch.testing.assert_close(source, expected[:, UNSEEN])
    assert not torch.allclose(source, batch.outputs.logits[:, UNSEEN])


def test_the_averaged_student_labels_self_training_and_follows_it(
        clip_configs, tmp_path):
    labellers = [LABELLERS[0], dict(type='StudentLabeller', start=4, ema=0.5)]
    model = build_distiller(
        clip_configs, tmp_path, labellers=labellers).train()
    averaged = model.labellers[1].averaged
    assert not averaged.training  # no dropout in its labels
    assert len(averaged.vocabulary) == 0  # it borrows the student's texts
    optimizer = torch.optim.SGD(model.student.parameters(), lr=0.1)
    inputs, _, samples = make_batch()
    for it in (4, 5):  # self-training
        model.set_train_iter(it)
        losses = model.loss(inputs, copy.deepcopy(samples))
        optimizer.zero_grad()
        sum(v for k, v in losses.items() if 'loss' in k).backward()
        optimizer.step()
    assert int(model.labellers[1].updates) == 2
    ema = dict(averaged.named_parameters())
    assert not any(p.requires_grad for p in ema.values())
    # two updates at decay 0.5: a copy, then halfway to the stepped weights
    weight = 'backbone.stem.0.weight'
    assert not torch.equal(ema[weight],
                           dict(model.student.named_parameters())[weight])
    source = model.labellers[1](_batch(model, inputs, samples))
    expected = averaged.decode(averaged.extract_feat(inputs), model.text)
    torch.testing.assert_close(source, expected[:, UNSEEN])


def test_without_labellers_unlabeled_pixels_are_ignored_at_any_iter(
        clip_configs, tmp_path, monkeypatch):
    model = build_distiller(clip_configs, tmp_path, labellers=[]).train()
    image_calls = []
    for module in model.teacher.clip.visual.modules():
        module.register_forward_pre_hook(
            lambda mod, args: image_calls.append(type(mod).__name__))
    inputs, labels, samples = make_batch()
    for it in (0, 2, 4, 10**6):
        model.set_train_iter(it)
        assert model.phase() == 'none'
        merged = merged_labels(model, inputs, samples, monkeypatch)
        assert (merged[torch.isin(labels, torch.tensor(UNSEEN))] == 255).all()
    assert image_calls == []  # the teacher never saw an image
