"""CLIPSeg's training conditions as the release's: random templates and
text mixed with a visual support of the same class."""
import pytest
import torch

from vlkd_seg.models.segmentors.clipseg_training import (SHUFFLE_PLUS,
                                                         training_conditions)
from vlkd_seg.utils.errors import ConfigError
from ._helpers import build_clipseg, save_tiny_clipseg


@pytest.fixture
def folder(tmp_path):
    save_tiny_clipseg(tmp_path / 'clipseg')
    return tmp_path / 'clipseg'


def _fake_towers(model, monkeypatch):
    """Text and image embeddings that say what they embed."""
    phrases, supports = [], []

    def text(prompts, descriptions=None):
        phrases.extend(prompts)
        return torch.ones(len(prompts), 32)

    def image(inputs, masks):
        supports.append((inputs.clone(), masks.clone()))
        return torch.full((len(inputs), 32), 3.)

    monkeypatch.setattr(model, 'encode_text', text)
    monkeypatch.setattr(model, 'encode_image', image)
    return phrases, supports


def test_phrases_take_a_random_template_of_the_release(folder, monkeypatch):
    model = build_clipseg(
        folder, train_cfg=dict(prompt_templates=list(SHUFFLE_PLUS)))
    phrases, _ = _fake_towers(model, monkeypatch)
    labels = torch.zeros(2, 1, 8, 8, dtype=torch.long)
    torch.manual_seed(0)
    for _ in range(20):
        cond = training_conditions(model, torch.zeros(2, 3, 8, 8), labels,
                                   [0, 3])
    assert cond.shape == (2, 2, 32) and torch.all(cond == 1)  # text only
    assert len(set(phrases)) > 4
    assert all(
        any(p == t.format(n) for t in SHUFFLE_PLUS for n in ('disc', 'star'))
        for p in phrases)


def test_text_mixes_with_a_support_image_of_the_class(folder, monkeypatch):
    model = build_clipseg(folder, train_cfg=dict(text_weight=(0., 0.5)))
    _, supports = _fake_towers(model, monkeypatch)
    labels = torch.zeros(3, 1, 8, 8, dtype=torch.long)
    labels[1, 0, :4] = 2  # class 2 only in image 1; class 3 nowhere
    inputs = torch.randn(3, 3, 8, 8)
    cond = training_conditions(model, inputs, labels, [0, 2, 3])
    # text 1, support 3: w * 1 + (1 - w) * 3 with w in [0, 0.5]
    assert torch.all((cond[:, :2] >= 2) & (cond[:, :2] <= 3))
    assert torch.all(cond[:, 2] == 1)  # no image of class 3: text alone
    (images, masks), = supports
    assert torch.equal(images[1], inputs[1])
    assert torch.equal(masks[1], labels[1] == 2)


@pytest.mark.parametrize('train_cfg, match', [
    (dict(prompt_templates=['a photo']), 'one {}'),
    (dict(text_weight=(0.6, 0.5)), 'range within'),
    (dict(mix=True), 'not prompt_templates or text_weight'),
])
def test_bad_training_settings_are_refused(folder, train_cfg, match):
    with pytest.raises(ConfigError, match=match):
        build_clipseg(folder, train_cfg=train_cfg)
