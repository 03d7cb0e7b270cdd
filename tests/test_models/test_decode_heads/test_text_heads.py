import math

import pytest
import torch
import torch.nn.functional as F
from mmengine.registry import init_default_scope
from mmseg.registry import MODELS

from vlkd_seg.models import LSegHead, TextClassifier


def _text(k=4, d=8, seed=0):
    return torch.randn(k, d, generator=torch.Generator().manual_seed(seed))


def test_text_classifier_scores_cosines_times_learned_scale():
    clf = TextClassifier(in_channels=6, embed_dim=8, num_classes=4)
    clf.set_text_embeddings(_text())
    x = torch.randn(2, 6, 5, 7)
    emb = F.normalize(clf.proj(x), dim=1)
    expected = torch.einsum('ndhw,kd->nkhw', emb, F.normalize(_text(),
                                                              dim=1)) / 0.07
    torch.testing.assert_close(clf(x), expected)
    assert clf.logit_scale.requires_grad
    assert clf.logit_scale.item() == pytest.approx(math.log(1 / 0.07))


def test_learned_background_replaces_its_text_row():
    clf = TextClassifier(6, 8, 4, background_idx=0)
    clf.set_text_embeddings(_text())
    bank = clf.class_embeddings()
    torch.testing.assert_close(bank[1:], F.normalize(_text(), dim=1)[1:])
    torch.testing.assert_close(bank[0], F.normalize(clf.background, dim=0))
    with pytest.raises(ValueError, match='embedding dimension 8'):
        clf.set_text_embeddings(_text(d=5))


@pytest.mark.parametrize('head', [
    dict(type='FCNHead', in_channels=16, channels=8, num_convs=1),
    dict(
        type='ASPPHead', in_channels=16, channels=8, dilations=(1, 6, 12, 18)),
    dict(
        type='DepthwiseSeparableASPPHead',
        in_channels=16,
        channels=8,
        c1_in_channels=4,
        c1_channels=4,
        dilations=(1, 6, 12, 18),
        in_index=1),
])
def test_text_classifier_head_wraps_standard_mmseg_heads(head):
    init_default_scope('mmseg')
    built = MODELS.build(
        dict(
            type='TextClassifierHead',
            embed_dim=8,
            head=dict(head, num_classes=4)))
    assert isinstance(built.conv_seg, TextClassifier)
    built.conv_seg.set_text_embeddings(_text())
    feats = [torch.randn(2, 4, 16, 16), torch.randn(2, 16, 8, 8)]
    inputs = feats if head['type'].startswith('Depthwise') else [feats[1]]
    assert built(inputs).shape[:2] == (2, 4)


def test_lseg_head_fuses_levels_and_is_vocabulary_agnostic():
    head = LSegHead(
        embed_dim=8,
        in_channels=[4, 16],
        in_index=[0, 1],
        channels=8,
        num_classes=4,
        reg_depth=2)
    head.conv_seg.set_text_embeddings(_text())
    feats = [torch.randn(2, 4, 16, 16), torch.randn(2, 16, 8, 8)]
    assert head(feats).shape == (2, 4, 16, 16)
    head.conv_seg.set_text_embeddings(_text(k=7))
    assert head(feats).shape == (2, 7, 16, 16)


def test_lseg_without_regularisation_outputs_scaled_cosines():
    head = LSegHead(
        embed_dim=8,
        in_channels=[4],
        in_index=[0],
        channels=8,
        num_classes=4,
        reg_depth=0,
        dropout_ratio=0.0)
    head.conv_seg.set_text_embeddings(_text())
    head.eval()
    logits = head([torch.randn(1, 4, 6, 6)])
    cos = logits * 0.07
    assert cos.abs().max() <= 1 + 1e-5


def test_dot_mode_scores_features_dot_text_without_scale_or_norm():
    clf = TextClassifier(8, 8, 4, mode='dot')
    clf.set_text_embeddings(_text())
    x = torch.randn(2, 8, 5, 7)
    expected = torch.einsum('ndhw,kd->nkhw', x, F.normalize(_text(), dim=1))
    torch.testing.assert_close(clf(x), expected)
    assert isinstance(clf.proj, torch.nn.Identity) and clf.logit_scale is None
    with pytest.raises(ValueError, match="set the head's channels to 8"):
        TextClassifier(6, 8, 4, mode='dot')


def test_depthwise_regularisation_convolves_each_class_map_without_max():
    torch.manual_seed(0)
    kwargs = dict(
        embed_dim=8,
        in_channels=[4],
        in_index=[0],
        channels=8,
        num_classes=4,
        dropout_ratio=0.0)
    depthwise = LSegHead(reg_depth=2, reg_kind='depthwise', **kwargs)
    bottleneck = LSegHead(reg_depth=2, reg_kind='bottleneck', **kwargs)
    bottleneck.load_state_dict(depthwise.state_dict())
    plain = LSegHead(reg_depth=0, **kwargs)  # the logits before the blocks
    missing, _ = plain.load_state_dict(depthwise.state_dict(), strict=False)
    assert not missing
    for head in (depthwise, bottleneck, plain):
        head.conv_seg.set_text_embeddings(_text())
        head.eval()
    feats = [torch.randn(2, 4, 6, 6)]
    convs = depthwise.regularization.convs
    expected = plain(feats).reshape(8, 1, 6, 6)  # one map per class
    for i, conv in enumerate(convs):
        expected = F.conv2d(expected, conv.weight, conv.bias, padding=1)
        if i < len(convs) - 1:
            expected = F.leaky_relu(expected)
    out = depthwise(feats)
    torch.testing.assert_close(out, expected.reshape(2, 4, 6, 6))
    assert not torch.allclose(bottleneck(feats), out, atol=1e-3)
