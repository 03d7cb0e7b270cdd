"""CLIPSeg's semantic mode (a vocabulary to a label map) and its inductive
training on label maps."""
import pytest
import torch
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample

from vlkd_seg.utils.errors import ConfigError
from ._helpers import build_clipseg, save_tiny_clipseg


@pytest.fixture
def folder(tmp_path):
    save_tiny_clipseg(tmp_path / 'clipseg')
    return tmp_path / 'clipseg'


def _samples(labels):
    h, w = labels.shape[-2:]
    return [
        SegDataSample(
            metainfo=dict(
                img_shape=(h, w), pad_shape=(h, w), ori_shape=(h, w)),
            gt_sem_seg=PixelData(data=label)) for label in labels
    ]


def test_the_label_is_the_argmax_and_background_below_the_threshold(
        folder, monkeypatch):
    model = build_clipseg(
        folder,
        class_names=['background', 'disc', 'ring'],
        background_idx=0,
        background_thresh=0.4).eval()
    # logits of the two named classes: disc sure, ring sure, both unsure
    logits = torch.tensor([[3., -3., -2.], [-3., 3., -1.]])[None, :, None]
    prompts = []
    monkeypatch.setattr(model, 'prompt_logits',
                        lambda x, text: prompts.append(len(text)) or logits)
    meta = dict(img_shape=(1, 3), ori_shape=(1, 3), pad_shape=(1, 3))
    scores = model.encode_decode(torch.zeros(1, 3, 1, 3), [meta])
    assert prompts == [2]  # the background is named by no prompt
    assert scores.argmax(dim=1).tolist() == [[[1, 2, 0]]]
    assert torch.allclose(scores[0, 0], torch.full((1, 3), 0.4))


def test_training_prompts_the_seen_classes_and_trains_only_the_head(folder):
    model = build_clipseg(folder, unseen_idx=[2]).train()
    assert not model.clip.training
    clip = {k: v.clone() for k, v in model.clip.state_dict().items()}
    seen_prompts = []
    forward = model.decode_head.forward

    def record(inputs):
        seen_prompts.append(inputs[1])
        return forward(inputs)

    model.decode_head.forward = record
    labels = torch.randint(0, 4, (2, 1, 32, 32))
    losses = model.loss(torch.randn(2, 3, 32, 32), _samples(labels))
    loss = sum(v for k, v in losses.items() if 'loss' in k)
    loss.backward()
    text = model.vocabulary.text
    # the plain names, text only (the default train_cfg)
    assert torch.allclose(
        seen_prompts[0], text[[0, 1, 3]].repeat(2, 1), atol=1e-5)
    assert all(p.grad is None for p in model.clip.parameters())
    assert model.decode_head.film_mul.weight.grad is not None
    for key, value in model.clip.state_dict().items():
        assert torch.equal(value, clip[key]), key
    assert not [k for k in model.state_dict() if k.startswith('clip.')]


def test_the_loss_is_bce_of_each_classs_mask_with_unseen_pixels_ignored(
        folder, monkeypatch):
    model = build_clipseg(folder, unseen_idx=[2]).train()
    logits = torch.randn(1, 3, 4, 4)  # classes 0, 1, 3
    monkeypatch.setattr(model, 'prompt_logits', lambda x, text: logits)
    labels = torch.tensor([[0, 1, 2, 3], [255, 3, 3, 1], [0, 0, 2, 2],
                           [1, 1, 1, 1]])[None, None]
    losses = model.loss(torch.zeros(1, 3, 4, 4), _samples(labels))
    keep = (labels[0, 0] != 255) & (labels[0, 0] != 2)
    targets = torch.stack([labels[0, 0] == k for k in (0, 1, 3)]).float()
    expected = torch.nn.functional.binary_cross_entropy_with_logits(
        logits[0][:, keep], targets[:, keep])
    assert torch.allclose(losses['decode.loss_ce'], expected, atol=1e-6)


def test_the_vocabulary_swaps_without_retraining(folder):
    model = build_clipseg(folder).eval()
    model.set_vocabulary(['a kite', 'a hawk', 'sky'])
    assert model.class_names == ['a kite', 'a hawk', 'sky']
    assert torch.allclose(model.vocabulary.text,
                          model.encode_text(['a kite', 'a hawk', 'sky']))
    assert model.encode_decode(
        torch.randn(1, 3, 32, 32),
        [dict(img_shape=(32, 32))]).shape == (1, 3, 32, 32)


@pytest.mark.parametrize('kwargs, match', [
    (dict(unseen_idx=[4]), r'unseen_idx \[4\]'),
    (dict(background_idx=-1), 'background_idx -1'),
    (dict(background_thresh=2), 'background_thresh'),
])
def test_bad_settings_are_refused(folder, kwargs, match):
    with pytest.raises(ConfigError, match=match):
        build_clipseg(folder, **kwargs)


def test_a_plain_clip_gets_a_head_of_its_sizes(tmp_path, clip_configs):
    plain = dict(
        weights=None,
        clip=dict(model_name=clip_configs['vit']),
        decode_head=dict(type='CLIPSegHead', channels=16, num_heads=2))
    model = build_clipseg(tmp_path, extract_layers=[0, 1], **plain)
    head = model.decode_head
    assert (head.in_channels, head.film_mul.in_features, len(head.layers),
            head.transposed_convolution.stride) == (64, 32, 2, (8, 8))
    assert model.prompt_logits(
        torch.randn(1, 3, 32, 32),
        model.encode_text(['disc'])).shape == (1, 1, 32, 32)
    with pytest.raises(ConfigError, match=r'extract_layers \[0, 5\]'):
        build_clipseg(tmp_path, extract_layers=[0, 5], **plain)
