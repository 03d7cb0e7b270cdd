import math

import pytest
import torch
import torch.nn.functional as F

from vlkd_seg.classification import (clip_classification_loss,
                                     feature_mse_loss, image_contrastive_loss,
                                     vl_proximal_loss)


def _feats(*shape, seed=0):
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed))


def test_classification_loss_is_ce_over_cosine_by_temperature():
    s, text = _feats(4, 8), _feats(5, 8, seed=1)
    labels = torch.tensor([0, 4, 2, 2])
    cos = torch.stack([
        torch.stack([F.cosine_similarity(a, b, dim=0) for b in text])
        for a in s
    ])
    expected = -torch.log_softmax(cos / 0.07, dim=1)[range(4), labels].mean()
    torch.testing.assert_close(
        clip_classification_loss(s, text, labels), expected)


def test_mse_sums_over_dims_and_averages_over_batch():
    s, t = _feats(3, 6) * 5, _feats(3, 6, seed=1) * 0.1
    expected = sum(
        ((a / a.norm() - b / b.norm())**2).sum() for a, b in zip(s, t)) / 3
    torch.testing.assert_close(feature_mse_loss(s, t), expected)
    assert feature_mse_loss(s, 2 * s).item() == pytest.approx(0, abs=1e-6)


def test_contrastive_loss_averages_both_directions():
    s, t = _feats(4, 8), _feats(4, 8, seed=1)
    sn, tn = F.normalize(s, dim=1), F.normalize(t, dim=1)
    logits = sn @ tn.T / 0.07
    s2t = -logits.log_softmax(1).diagonal().mean()
    t2s = -logits.log_softmax(0).diagonal().mean()
    torch.testing.assert_close(image_contrastive_loss(s, t), (s2t + t2s) / 2)
    # the two directions differ on this batch, so both must be in the mean
    assert not torch.isclose(s2t, t2s)
    swapped = image_contrastive_loss(t, s)
    torch.testing.assert_close(swapped, image_contrastive_loss(s, t))


def test_vl_proximal_is_kl_on_the_teacher_top_k():
    s, t, text = _feats(3, 8), _feats(3, 8, seed=1), _feats(6, 8, seed=2)
    k = 3
    t_logits = F.normalize(t, dim=1) @ F.normalize(text, dim=1).T / 0.07
    s_logits = F.normalize(s, dim=1) @ F.normalize(text, dim=1).T / 0.07
    total = 0.
    for i in range(3):
        top = t_logits[i].topk(k).indices
        p = t_logits[i, top].softmax(0)
        q = s_logits[i, top].softmax(0)
        total += (p * (p.log() - q.log())).sum()
    torch.testing.assert_close(vl_proximal_loss(s, t, text, k=k), total / 3)
    assert vl_proximal_loss(
        t, t, text, k=k).item() == pytest.approx(
            0, abs=1e-6)


def test_vl_proximal_k_beyond_the_classes_is_the_full_softmax():
    s, t, text = _feats(3, 8), _feats(3, 8, seed=1), _feats(6, 8, seed=2)
    p = (F.normalize(t, dim=1) @ F.normalize(text, dim=1).T / 0.07).softmax(1)
    q = (F.normalize(s, dim=1) @ F.normalize(text, dim=1).T / 0.07).softmax(1)
    full = (p * (p.log() - q.log())).sum(1).mean()
    torch.testing.assert_close(vl_proximal_loss(s, t, text, k=256), full)
    torch.testing.assert_close(vl_proximal_loss(s, t, text, k=6), full)
    # a smaller k is a different loss, so the clamp is what makes them equal
    assert not torch.isclose(vl_proximal_loss(s, t, text, k=3), full)


def test_vl_proximal_drops_samples_the_teacher_gets_wrong():
    s, t, text = _feats(4, 8), _feats(4, 8, seed=1), _feats(6, 8, seed=2)
    pred = (F.normalize(t, dim=1) @ F.normalize(text, dim=1).T).argmax(1)
    labels = pred.clone()
    labels[:2] = (pred[:2] + 1) % 6
    kept = vl_proximal_loss(s[2:], t[2:], text, k=4)
    torch.testing.assert_close(vl_proximal_loss(s, t, text, labels, k=4), kept)


def test_teacher_always_wrong_gives_zero_and_finite_gradient():
    s = _feats(4, 8).requires_grad_()
    t, text = _feats(4, 8, seed=1), _feats(6, 8, seed=2)
    pred = (F.normalize(t, dim=1) @ F.normalize(text, dim=1).T).argmax(1)
    loss = vl_proximal_loss(s, t, text, (pred + 1) % 6, k=4)
    assert loss.item() == 0 and not math.isnan(loss.item())
    loss.backward()
    assert torch.isfinite(s.grad).all()


@pytest.mark.parametrize('call, match', [
    (lambda: feature_mse_loss(_feats(2, 4), _feats(2, 5)), 'same B and D'),
    (lambda: clip_classification_loss(
        _feats(2, 4), _feats(3, 5), torch.tensor([0, 1])), 'do not match'),
    (lambda: clip_classification_loss(
        _feats(2, 4), _feats(3, 4), torch.tensor([0, 3])), r'\[0, 3\)'),
    (lambda: vl_proximal_loss(_feats(2, 4), _feats(2, 4), _feats(3, 4), k=0),
     'k=0 must be at least 1'),
    (lambda: feature_mse_loss(_feats(2, 4) * float('nan'), _feats(2, 4)),
     'NaN'),
])
def test_bad_inputs_are_clear_errors(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_registered_wrapper_weights_the_function():
    from mmengine.registry import init_default_scope
    from mmseg.registry import MODELS
    init_default_scope('mmseg')
    s, t, text = _feats(3, 8), _feats(3, 8, seed=1), _feats(6, 8, seed=2)
    module = MODELS.build(
        dict(
            type='ImageDistillLoss',
            loss='vl_proximal_loss',
            loss_weight=0.5,
            k=3))
    torch.testing.assert_close(
        module(s, t, text), 0.5 * vl_proximal_loss(s, t, text, k=3))
    with pytest.raises(ValueError, match='unknown image distillation loss'):
        MODELS.build(dict(type='ImageDistillLoss', loss='l2'))
