import copy

import pytest
import torch

from vlkd_seg.datasets import UNLABELED_INDEX
from ._helpers import (NAMES, UNSEEN, build_distiller, make_batch, set_iter,
                       student_cfg)


def test_teacher_gets_no_gradient_and_student_loss_falls(
        clip_configs, tmp_path):
    model = build_distiller(
        clip_configs,
        tmp_path,
        feature_distill_weight=1.0,
        image_distill=dict(loss='feature_mse_loss'))
    teacher_before = copy.deepcopy(model.teacher.state_dict())
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    inputs, _, samples = make_batch()
    set_iter(2)
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
    set_iter(0)
    assert totals[-1] < 0.7 * totals[0]
    for key, value in model.teacher.state_dict().items():
        assert torch.equal(value, teacher_before[key]), key


def test_unseen_labels_in_a_target_are_caught(clip_configs, tmp_path):
    model = build_distiller(clip_configs, tmp_path)
    inputs, _, samples = make_batch()
    samples[0].gt_sem_seg.data[0, 0, 0] = UNSEEN[0]
    with pytest.raises(RuntimeError, match='leaked'):
        model.loss(inputs, samples)


@pytest.mark.parametrize(
    'loss',
    [dict(loss='image_contrastive_loss'),
     dict(loss='vl_proximal_loss', k=3)])
def test_image_level_losses_on_pooled_pixel_embeddings(clip_configs, tmp_path,
                                                       loss):
    model = build_distiller(clip_configs, tmp_path, image_distill=loss)
    inputs, _, samples = make_batch()
    set_iter(2)
    model.train()
    value = model.loss(inputs, samples)['loss_image_distill']
    assert torch.isfinite(value)
    value.backward()
    proj = model.student.decode_head.conv_seg.weight.grad
    assert proj is not None and torch.isfinite(proj).all()
    set_iter(0)


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
    inputs, _, samples = make_batch()
    ignored = copy.deepcopy(samples)
    for sample in ignored:
        label = sample.gt_sem_seg.data
        label[label == UNLABELED_INDEX] = 255
    set_iter(2)  # teacher pseudo-labels
    losses = {}
    for thresh in (0., 1.01):  # 1.01 rejects every pseudo-label
        model = build_distiller(
            clip_configs, tmp_path, student=student,
            confidence_thresh=thresh).train()
        losses[thresh] = model.loss(inputs, samples)
        assert {'aux.loss_ce', 'aux.acc_seg'} <= set(losses[thresh])
        assert torch.isfinite(losses[thresh]['aux.loss_ce'])
    aux = model.student.auxiliary_head
    feats = model.student.extract_feat(inputs)
    logits = model.student.classifier(aux.forward(feats), model.text)
    expected = aux.loss_by_feat(logits, ignored)['loss_ce']
    torch.testing.assert_close(losses[1.01]['aux.loss_ce'], expected)
    assert losses[0.]['pseudo_frac'] > 0
    assert not torch.allclose(losses[0.]['aux.loss_ce'], expected)
    aux.zero_grad()
    losses[1.01]['aux.loss_ce'].backward()
    grads = [p.grad for p in aux.parameters() if p.requires_grad]
    assert grads and all(
        g is not None and torch.isfinite(g).all() for g in grads)
    assert any(g.abs().sum() > 0 for g in grads)
