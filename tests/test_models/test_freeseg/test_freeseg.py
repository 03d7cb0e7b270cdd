"""FreeSeg: queries scored against exactly the vocabulary's texts plus
no-object; training sees the seen texts only; the frozen CLIP stays out of
checkpoints; a new vocabulary needs no retraining."""
import os.path as osp

import pytest
import torch
import torch.nn.functional as F
from mmengine.registry import init_default_scope
from mmengine.structures import PixelData
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample

from vlkd_seg.utils import ConfigError, load_config
from ...conftest import REPO, tiny_recipe_model

RECIPE = osp.join(REPO, 'configs', 'demo',
                  'freeseg_r18-tiny_vit-world_synthetic-world.py')


@pytest.fixture()
def model(clip_configs):
    init_default_scope('mmseg')
    torch.manual_seed(0)
    cfg = tiny_recipe_model(load_config(RECIPE).model, clip_configs)
    return MODELS.build(cfg)


def _samples(n=2, size=32):
    samples = []
    for i in range(n):
        sample = SegDataSample(
            metainfo=dict(img_shape=(size, size), pad_shape=(size, size),
                          ori_shape=(size, size)))
        labels = torch.full((1, size, size), 255, dtype=torch.long)
        labels[0, 2:12, 2:12] = 0  # disc (seen)
        labels[0, 16:30, 14:30] = 1 + i  # square (unseen) / triangle
        sample.gt_sem_seg = PixelData(data=labels)
        samples.append(sample)
    return samples


def test_queries_are_scored_against_the_texts_and_no_object(model):
    head = model.decode_head
    torch.manual_seed(0)
    queries = torch.randn(2, 8, 32)
    text = F.normalize(torch.randn(5, 32), dim=-1)
    logits = head.classify(queries, text)
    bank = F.normalize(torch.cat([text, head.no_object]), dim=-1)
    expected = 100 * F.normalize(queries, dim=-1) @ bank.t()
    torch.testing.assert_close(logits, expected)
    assert logits.shape == (2, 8, 6)
    other = text.clone()
    other[2] = F.normalize(torch.randn(32), dim=0)
    changed = head.classify(queries, other) != logits
    assert changed[..., 2].all() and not changed[..., [0, 1, 3, 4, 5]].any()


def test_training_scores_the_seen_texts_and_ignores_unseen_pixels(
        model, monkeypatch):
    seen = [0, 2, 4, 5, 7]  # the world's unseen: square, ring, diamond
    assert model.decode_head.num_classes == len(seen)
    given = {}
    loss = model.decode_head.loss

    def spy(x, samples, train_cfg, text):
        given.update(text=text, labels=samples[0].gt_sem_seg.data)
        return loss(x, samples, train_cfg, text)

    monkeypatch.setattr(model.decode_head, 'loss', spy)
    losses = model.loss(torch.randn(2, 3, 32, 32), _samples())
    torch.testing.assert_close(given['text'], model.vocabulary.text[seen])
    # disc -> 0; the unseen square's pixels ignored
    assert set(given['labels'].unique().tolist()) == {0, 255}
    total = sum(v for k, v in losses.items() if 'loss' in k)
    total.backward()
    assert torch.isfinite(total)
    assert all(p.grad is None for p in model.text_encoder.parameters())
    with pytest.raises(ConfigError, match='3 texts for a head trained on 5'):
        loss([torch.zeros(1)], _samples(), model.train_cfg,
             model.vocabulary.text[:3])


def test_inference_scores_the_vocabulary_and_swaps_it(model):
    model.eval()
    inputs = torch.randn(2, 3, 32, 32)
    samples = _samples()
    with torch.no_grad():
        out = model.predict(inputs, samples)
        assert out[0].seg_logits.data.shape == (8, 32, 32)
        model.set_vocabulary(['disc', 'star', 'cat'])
        out = model.predict(inputs, _samples())
    assert out[0].seg_logits.data.shape == (3, 32, 32)
    # 'disc' and 'star' were trained on, 'cat' was not
    assert model.seen_mask().tolist() == [True, True, False]


def test_without_region_classifier_the_queries_decide(model):
    model.region_classifier = None
    cls_logits = torch.randn(1, 8, 9)
    scores = model.class_scores(torch.zeros(1, 3, 32, 32), cls_logits,
                                torch.zeros(1, 8, 32, 32))
    torch.testing.assert_close(scores, cls_logits.softmax(-1)[..., :-1])


def test_checkpoints_leave_the_frozen_clip_out(model):
    keys = model.state_dict().keys()
    assert not any(k.startswith('text_encoder.') for k in keys)
    assert 'decode_head.no_object' in keys
