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
    clf = TextClassifier(embed_dim=8)
    emb = torch.randn(2, 8, 5, 7)
    expected = torch.einsum('ndhw,kd->nkhw', F.normalize(emb, dim=1),
                            F.normalize(_text(), dim=1)) / 0.07
    torch.testing.assert_close(clf(emb, _text()), expected)
    assert clf.logit_scale.requires_grad
    assert clf.logit_scale.item() == pytest.approx(math.log(1 / 0.07))
    # any vocabulary: the texts are an argument
    assert clf(emb, _text(k=7)).shape == (2, 7, 5, 7)


def test_learned_background_replaces_its_text_row():
    clf = TextClassifier(8, background_idx=0)
    bank = clf.class_embeddings(_text())
    torch.testing.assert_close(bank[1:], F.normalize(_text(), dim=1)[1:])
    torch.testing.assert_close(bank[0], F.normalize(clf.background, dim=0))
    with pytest.raises(ValueError, match='embedding dimension 8'):
        clf.class_embeddings(_text(d=5))
    with pytest.raises(ValueError, match='background_idx 5 is not a class'):
        TextClassifier(8, background_idx=5).class_embeddings(_text())


def test_dot_mode_scores_embeddings_dot_text_without_scale_or_norm():
    clf = TextClassifier(8, mode='dot')
    emb = torch.randn(2, 8, 5, 7)
    expected = torch.einsum('ndhw,kd->nkhw', emb, F.normalize(_text(), dim=1))
    torch.testing.assert_close(clf(emb, _text()), expected)
    assert clf.logit_scale is None


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
def test_standard_mmseg_heads_embed_pixels_for_the_classifier(head):
    """An mmseg head built with num_classes = D needs no change: its
    conv_seg is the projection the classifier's cosines read."""
    init_default_scope('mmseg')
    built = MODELS.build(dict(head, num_classes=8)).eval()
    feats = [torch.randn(2, 4, 16, 16), torch.randn(2, 16, 8, 8)]
    inputs = feats if head['type'].startswith('Depthwise') else [feats[1]]
    emb = built(inputs)
    assert emb.shape[1] == 8
    logits = TextClassifier(8)(emb, _text(k=3))
    assert logits.shape[:2] == (2, 3)


def test_lseg_head_fuses_levels_into_embeddings():
    head = LSegHead(
        in_channels=[4, 16],
        in_index=[0, 1],
        channels=8,
        num_classes=8,
        dropout_ratio=0.0).eval()
    feats = [torch.randn(2, 4, 16, 16), torch.randn(2, 16, 8, 8)]
    emb = head(feats)
    assert emb.shape == (2, 8, 16, 16)
    clf = TextClassifier(8, regularization=dict(depth=0))
    cos = clf(emb, _text()) * 0.07
    assert cos.abs().max() <= 1 + 1e-5


def test_depthwise_regularisation_convolves_each_class_map_without_max():
    torch.manual_seed(0)
    depthwise = TextClassifier(
        8, regularization=dict(depth=2, kind='depthwise'))
    bottleneck = TextClassifier(
        8, regularization=dict(depth=2, kind='bottleneck'))
    bottleneck.load_state_dict(depthwise.state_dict())
    plain = TextClassifier(8)  # the logits before the blocks
    emb = torch.randn(2, 8, 6, 6)
    convs = depthwise.regularization.convs
    expected = plain(emb, _text()).reshape(8, 1, 6, 6)  # one map per class
    for i, conv in enumerate(convs):
        expected = F.conv2d(expected, conv.weight, conv.bias, padding=1)
        if i < len(convs) - 1:
            expected = F.leaky_relu(expected)
    out = depthwise(emb, _text())
    torch.testing.assert_close(out, expected.reshape(2, 4, 6, 6))
    assert not torch.allclose(bottleneck(emb, _text()), out, atol=1e-3)


@pytest.mark.parametrize('options, message', [
    (dict(mode='dots'), "mode must be 'cosine' or 'dot'"),
    (dict(temperature=0.), 'temperature must be > 0'),
    (dict(background_idx=-1), 'background_idx must be a class index'),
    (dict(regularization=dict(depth=-1)), 'depth must be an integer >= 0'),
])
def test_bad_classifier_options_are_refused(options, message):
    with pytest.raises(ValueError, match=message):
        TextClassifier(8, **options)


def test_the_learned_background_starts_at_the_std_asked():
    torch.manual_seed(0)
    default = TextClassifier(1024, mode='dot', background_idx=0)
    release = TextClassifier(
        1024, mode='dot', background_idx=0, background_std=1.0)
    assert abs(float(default.background.std()) - 1 / 32) < 0.003
    assert abs(float(release.background.std()) - 1) < 0.1
    with pytest.raises(ValueError, match='background_std must be'):
        TextClassifier(8, background_idx=0, background_std=0)
