import pytest
import torch

from vlkd_seg.models.segmentors.zegclip_split import self_training_labels
from vlkd_seg.utils import UserError
from ._helpers import UNSEEN, build_zegclip, make_samples

SEEN = [0, 2, 4]


def _record(monkeypatch, module, name):
    calls = []
    original = getattr(module, name)

    def wrapped(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, wrapped)
    return calls


def test_a_step_trains_prompts_and_head_and_never_clip(clip_configs, tmp_path):
    model = build_zegclip(clip_configs, tmp_path).train()
    trainable = [n for n, p in model.named_parameters() if p.requires_grad]
    assert all(
        n.startswith(('image_encoder.prompt', 'decode_head.'))
        for n in trainable)
    frozen = {
        k: v.clone()
        for k, v in model.named_parameters() if not v.requires_grad
    }
    head = model.decode_head.query_proj.weight.detach().clone()
    optim = torch.optim.AdamW(
        [p for p in model.parameters() if p.requires_grad], lr=1e-2)
    inputs, _, samples = make_samples()
    losses = model.loss(inputs, samples)
    assert set(losses) >= {'decode.loss_mask_focal', 'decode.loss_mask_dice'}
    sum(v for k, v in losses.items() if 'loss' in k).backward()
    optim.step()
    for name, value in model.named_parameters():
        if name in frozen:
            assert torch.equal(value, frozen[name]), name
    assert not torch.equal(model.decode_head.query_proj.weight, head)


def test_inductive_training_scores_seen_texts_on_seen_labels_only(
        clip_configs, tmp_path, monkeypatch):
    model = build_zegclip(clip_configs, tmp_path).train()
    forwards = _record(monkeypatch, model.decode_head, 'forward')
    losses = _record(monkeypatch, model.decode_head, 'loss_by_feat')
    inputs, labels, samples = make_samples()
    model.loss(inputs, samples)
    text = forwards[0][0][2]
    torch.testing.assert_close(text, model.vocabulary.text[SEEN])
    trained = torch.stack([s.gt_sem_seg.data for s in losses[0][1]])
    # seen classes renumbered 0..2 by position, unseen pixels ignored
    for position, cls in enumerate(SEEN):
        assert torch.equal(trained == position, labels == cls)
    assert torch.equal(trained == 255, (labels == 255)
                       | torch.isin(labels, torch.tensor(UNSEEN)))
    # the inputs are left as they were
    assert torch.equal(samples[0].gt_sem_seg.data, labels[0])


def test_the_offset_lowers_exactly_the_seen_scores(clip_configs, tmp_path):
    model = build_zegclip(clip_configs, tmp_path).eval()
    plain = build_zegclip(clip_configs, tmp_path, seen_score_offset=0.).eval()
    inputs, _, samples = make_samples()
    metas = [s.metainfo for s in samples]
    with torch.no_grad():
        diff = plain.encode_decode(inputs, metas) - model.encode_decode(
            inputs, metas)
    expected = torch.tensor([0.1, 0., 0.1, 0., 0.1])[None, :, None, None]
    torch.testing.assert_close(diff, expected.expand_as(diff))
    # a swapped vocabulary: the trained names keep their offset
    model.set_vocabulary(['star', 'sheep', 'disc'])
    assert model.seen_mask().tolist() == [True, False, True]
    assert model.num_classes == 3


def test_predict_labels_every_pixel_and_vocabulary_lives_once(
        clip_configs, tmp_path):
    model = build_zegclip(clip_configs, tmp_path).eval()
    inputs, _, samples = make_samples(h=40, w=56)
    with torch.no_grad():
        out = model.predict(inputs, samples)
    assert out[0].pred_sem_seg.data.shape == (1, 40, 56)
    assert out[0].seg_logits.data.shape == (5, 40, 56)
    text = model.vocabulary.text
    holders = [
        n for n, t in model.named_buffers()
        if t.shape == text.shape and torch.equal(t, text)
    ]
    assert holders == ['vocabulary.text']
    assert not any(k.startswith('text_encoder.') for k in model.state_dict())


def test_self_training_labels_the_unseen_pixels_by_unseen_scores():
    labels = torch.tensor([[[[0, 1], [3, 255]]]])
    logits = torch.zeros(1, 5, 2, 2)
    logits[0, 3, 0, 1] = 2.  # best unseen at (0, 1): class 3
    logits[0, 1, 1, 0] = 2.  # best unseen at (1, 0): class 1
    logits[0, 0] = 9.  # a seen class never wins
    out = self_training_labels(labels, logits, UNSEEN, False)
    assert out.tolist() == [[[[0, 3], [1, 255]]]]


def test_transductive_steps_score_every_text_from_their_start(
        clip_configs, tmp_path, monkeypatch):
    model = build_zegclip(
        clip_configs, tmp_path, self_training_start=2,
        seen_score_offset=0.).train()
    forwards = _record(monkeypatch, model.decode_head, 'forward')
    inputs, _, samples = make_samples()
    with pytest.raises(UserError, match="dict\\(type='TrainIterHook'\\)"):
        model.loss(inputs, samples)
    for it in (1, 2):
        model.set_train_iter(it)
        model.loss(inputs, samples)
    assert [len(call[0][2]) for call in forwards[-2:]] == [3, 5]


@pytest.mark.parametrize('kwargs, match', [
    (dict(unseen_idx='all'), 'must be a list of class indices'),
    (dict(unseen_idx=[0, 1, 2, 3, 4]), 'needs seen classes'),
    (dict(unseen_idx=[7]), r'unseen_idx \[7\] outside the 5 classes'),
    (dict(seen_score_offset=2), r'seen_score_offset must be a number in'),
    (dict(self_training_start=-1), 'self_training_start must be'),
    (dict(class_names=None), 'class_names'),
])
def test_bad_settings_are_clear_errors(clip_configs, tmp_path, kwargs, match):
    with pytest.raises(UserError, match=match):
        build_zegclip(clip_configs, tmp_path, **kwargs)


def test_parts_of_different_clips_are_refused(clip_configs, tmp_path):
    head = dict(
        type='ZegCLIPHead',
        in_channels=16,
        num_heads=4,
        loss_decode=dict(type='MaskFocalLoss'))
    with pytest.raises(UserError, match='different dimensions'):
        build_zegclip(clip_configs, tmp_path, decode_head=head)


def test_a_vocabulary_the_text_tower_cannot_tell_apart_is_warned_about(
        clip_configs, tmp_path, monkeypatch):
    model = build_zegclip(clip_configs, tmp_path)
    one = torch.nn.functional.normalize(torch.ones(2, 32), dim=-1)
    monkeypatch.setattr(model.text_encoder, 'encode_text',
                        lambda names, descriptions=None: one)
    with pytest.warns(UserWarning, match="'kite' ~ 'hawk'"):
        model.set_vocabulary(['kite', 'hawk'])
    assert model.class_names == ['kite', 'hawk']
