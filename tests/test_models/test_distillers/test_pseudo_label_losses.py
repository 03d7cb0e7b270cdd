import copy

import pytest
import torch

from vlkd_seg.datasets import UNLABELED_INDEX
from ._helpers import (UNSEEN, build_distiller, make_batch, merged_labels,
                       student_cfg)


def test_teacher_gets_no_gradient_and_student_loss_falls(
        clip_configs, tmp_path):
    model = build_distiller(
        clip_configs,
        tmp_path,
        losses=[
            dict(type='PixelDistillLoss'),
            dict(type='PooledDistillLoss', loss='feature_mse_loss')
        ])
    teacher_before = copy.deepcopy(model.teacher.state_dict())
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    inputs, _, samples = make_batch()
    model.set_train_iter(2)
    model.train()
    totals = []
    for _ in range(25):
        losses = model.loss(inputs, copy.deepcopy(samples))
        assert {'decode.loss_ce', 'loss_pixel_distill',
                'loss_image_distill'} <= set(losses)
        total = sum(v for k, v in losses.items() if 'loss' in k)
        optimizer.zero_grad()
        total.backward()
        assert all(p.grad is None for p in model.teacher.parameters())
        optimizer.step()
        totals.append(total.item())
    assert totals[-1] < 0.7 * totals[0]
    for key, value in model.teacher.state_dict().items():
        assert torch.equal(value, teacher_before[key]), key


def test_the_split_is_hidden_by_the_model(clip_configs, tmp_path, monkeypatch):
    """Ground truth of the unseen classes never reaches a loss: the student
    trains on the same labels whether the data hid them or not."""
    model = build_distiller(clip_configs, tmp_path, labellers=[])
    inputs, labels, samples = make_batch()
    hidden = copy.deepcopy(samples)
    for sample in hidden:
        label = sample.gt_sem_seg.data
        label[torch.isin(label, torch.tensor(UNSEEN))] = UNLABELED_INDEX
    full = merged_labels(model, inputs, samples, monkeypatch)
    assert torch.equal(full, merged_labels(model, inputs, hidden, monkeypatch))
    assert not torch.isin(full, torch.tensor(UNSEEN)).any()
    assert (full[torch.isin(labels, torch.tensor(UNSEEN))] == 255).all()
    seen = ~torch.isin(labels, torch.tensor(UNSEEN))
    assert torch.equal(full[seen], labels[seen])
    assert model.loss(inputs, samples)['pseudo_frac'] == 0


def test_labels_outside_the_classes_are_one_clear_error(
        clip_configs, tmp_path):
    model = build_distiller(clip_configs, tmp_path, labellers=[])
    inputs, _, samples = make_batch()
    samples[0].gt_sem_seg.data[0, 0, 0] = 7
    with pytest.raises(RuntimeError, match=r'label values \[7\]'):
        model.loss(inputs, samples)


@pytest.mark.parametrize(
    'loss',
    [dict(loss='image_contrastive_loss'),
     dict(loss='vl_proximal_loss', k=3)])
def test_image_level_losses_on_pooled_pixel_embeddings(clip_configs, tmp_path,
                                                       loss):
    model = build_distiller(
        clip_configs,
        tmp_path,
        losses=[dict(type='PooledDistillLoss', **loss)])
    inputs, _, samples = make_batch()
    model.set_train_iter(2)
    model.train()
    value = model.loss(inputs, samples)['loss_image_distill']
    assert torch.isfinite(value)
    value.backward()
    proj = model.student.decode_head.conv_seg.weight.grad
    assert proj is not None and torch.isfinite(proj).all()


def test_auxiliary_head_trains_on_the_merged_labels(clip_configs, tmp_path):
    student = student_cfg()
    student['auxiliary_head'] = dict(
        type='FCNHead',
        in_channels=32,
        in_index=0,
        channels=8,
        num_convs=1,
        concat_input=False,
        num_classes=32,  # the CLIP space
        norm_cfg=dict(type='BN', requires_grad=True),
        align_corners=False,
        dropout_ratio=0.0,
        loss_decode=dict(type='CrossEntropyLoss', loss_weight=0.4))
    inputs, labels, samples = make_batch()
    ignored = copy.deepcopy(samples)
    for sample in ignored:
        label = sample.gt_sem_seg.data
        label[torch.isin(label, torch.tensor(UNSEEN))] = 255
    losses = {}
    for pseudo in (True, False):  # teacher pseudo-labels, or none
        model = build_distiller(
            clip_configs,
            tmp_path,
            student=student,
            **({} if pseudo else dict(labellers=[]))).train()
        model.set_train_iter(2)
        losses[pseudo] = model.loss(inputs, samples)
        assert {'aux.loss_ce', 'aux.acc_seg'} <= set(losses[pseudo])
        assert torch.isfinite(losses[pseudo]['aux.loss_ce'])
    aux = model.student.auxiliary_head
    feats = model.student.extract_feat(inputs)
    logits = model.student.classifier(aux.forward(feats), model.text)
    expected = aux.loss_by_feat(logits, ignored)['loss_ce']
    torch.testing.assert_close(losses[False]['aux.loss_ce'], expected)
    assert losses[True]['pseudo_frac'] > 0
    assert not torch.allclose(losses[True]['aux.loss_ce'], expected)
    aux.zero_grad()
    losses[False]['aux.loss_ce'].backward()
    grads = [p.grad for p in aux.parameters() if p.requires_grad]
    assert grads and all(
        g is not None and torch.isfinite(g).all() for g in grads)
    assert any(g.abs().sum() > 0 for g in grads)
