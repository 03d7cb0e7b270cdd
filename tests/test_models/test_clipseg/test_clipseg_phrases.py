"""CLIPSeg on a phrase dataset: each image answers its own phrase, in
training (BCE of its mask) and at test (background threshold, phrase)."""
import pytest
import torch
from mmengine.dataset import pseudo_collate
from mmengine.registry import init_default_scope
from mmseg.registry import DATASETS

from vlkd_seg.datasets import PHRASE_META_KEYS
from vlkd_seg.utils.errors import ConfigError
from ._helpers import build_clipseg, save_tiny_clipseg
from ...test_datasets.test_phrase_mask import NEGATIVE, POSITIVE, _write

PREPROCESSOR = dict(
    type='SegDataPreProcessor',
    mean=[122.771, 116.746, 104.094],
    std=[68.501, 66.632, 70.323],
    bgr_to_rgb=True,
    size=(32, 32),
    seg_pad_val=255)


@pytest.fixture
def model(tmp_path):
    save_tiny_clipseg(tmp_path / 'clipseg')
    return build_clipseg(
        tmp_path / 'clipseg',
        data_preprocessor=PREPROCESSOR,
        train_cfg=dict(prompt_templates=['a photo of {}.']))


def _batch(tmp_path, **kwargs):
    _write(tmp_path, [POSITIVE, NEGATIVE])
    init_default_scope('mmseg')
    dataset = DATASETS.build(
        dict(
            type='PhraseMaskDataset',
            data_root=str(tmp_path),
            ann_file='train.jsonl',
            pipeline=[
                dict(type='LoadImageFromFile'),
                dict(type='LoadPhraseMask'),
                dict(type='Resize', scale=(32, 32)),
                dict(type='PackSegInputs', meta_keys=PHRASE_META_KEYS)
            ],
            **kwargs))
    return pseudo_collate([dataset[0], dataset[1]])


def test_training_prompts_each_image_with_its_phrase(model, tmp_path,
                                                     monkeypatch):
    said = []
    encode = model.encode_text
    monkeypatch.setattr(model, 'encode_text',
                        lambda p: said.extend(p) or encode(p))
    batch = model.data_preprocessor(_batch(tmp_path), True)
    logits = []
    head_forward = model.decode_head.forward
    monkeypatch.setattr(model.decode_head, 'forward',
                        lambda x: logits.append(head_forward(x)) or logits[-1])
    losses = model.loss(batch['inputs'], batch['data_samples'])
    assert said == ['a photo of the red kite.', 'a photo of a zebra.']
    assert logits[0].shape[:2] == (2, 1)  # one prompt per image
    losses['decode.loss_ce'].backward()
    assert losses['decode.loss_ce'] > 0
    assert all(p.grad is None for p in model.clip.parameters())


def test_an_image_is_scored_for_its_phrase(model, tmp_path):
    model.eval()
    batch = model.data_preprocessor(_batch(tmp_path), False)
    metas = [s.metainfo for s in batch['data_samples']]
    scores = model.encode_decode(batch['inputs'], metas)
    assert scores.shape[:2] == (2, 2)
    assert torch.all(scores[:, 0] == model.background_thresh)
    texts = model.encode_text(['the red kite', 'a zebra'])
    direct = model.prompt_logits(batch['inputs'], texts[:, None])
    assert torch.allclose(scores[:, 1:], direct.sigmoid(), atol=1e-6)
    results = model.predict(batch['inputs'], batch['data_samples'])
    assert set(results[0].pred_sem_seg.data.unique().tolist()) <= {0, 1}


def test_a_batch_mixing_phrases_and_vocabulary_samples_is_refused(
        model, tmp_path):
    batch = model.data_preprocessor(_batch(tmp_path), False)
    metas = [s.metainfo for s in batch['data_samples']]
    del metas[1]['phrase']
    with pytest.raises(ConfigError, match='mixes samples with and without'):
        model.encode_decode(batch['inputs'], metas)


def test_the_vocabulary_is_prompted_in_the_class_template(tmp_path):
    save_tiny_clipseg(tmp_path / 'clipseg')
    model = build_clipseg(
        tmp_path / 'clipseg', class_template='a photo of a {}.')
    assert torch.allclose(
        model.vocabulary.text[1],
        model.encode_text(['a photo of a square.'])[0],
        atol=1e-5)
    assert not torch.allclose(
        model.vocabulary.text[1], model.encode_text(['square'])[0], atol=1e-3)
    with pytest.raises(ConfigError, match='class_template'):
        build_clipseg(tmp_path / 'clipseg', class_template='a photo')


def test_a_phrase_mixes_with_another_image_showing_it(model, monkeypatch):
    from vlkd_seg.models.segmentors.clipseg_training import phrase_conditions
    model.train_settings['text_weight'] = (0., 0.5)
    monkeypatch.setattr(model, 'encode_text',
                        lambda p: torch.ones(len(p), 32))
    shown = []
    monkeypatch.setattr(
        model, 'encode_image', lambda x, m: shown.append(
            (x.clone(), m.clone())) or torch.full((len(x), 32), 3.))
    labels = torch.zeros(4, 1, 8, 8, dtype=torch.long)
    labels[0, 0, :2] = labels[1, 0, 3:] = 1  # image 2 is a negative
    inputs = torch.randn(4, 3, 8, 8)
    phrases = ['a disc', 'a disc', 'a disc', 'a ring']
    cond = phrase_conditions(model, inputs, labels, phrases)
    assert cond.shape == (4, 1, 32)
    # 0 and 1 show each other; the negative 2 borrows 0 or 1; no other ring
    assert torch.all((cond[:3] >= 2) & (cond[:3] <= 3))
    assert torch.all(cond[3] == 1)
    (images, masks), = shown
    assert torch.equal(images[0], inputs[1]) and torch.equal(
        images[1], inputs[0])
    assert torch.equal(masks[:2], (labels[[1, 0]] == 1))
