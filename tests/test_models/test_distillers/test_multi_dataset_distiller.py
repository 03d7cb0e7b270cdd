"""MultiDatasetDistiller (SSIW): each sample's loss over its own dataset's
classes, pseudo-labels only on its silent pixels and only with classes its
dataset does not annotate."""
import pytest
import torch
import torch.nn.functional as F

from vlkd_seg.models.label_spaces import (OUTSIDE_LOGIT, restrict_logits,
                                          sample_spaces)
from vlkd_seg.utils.errors import ConfigError
from ._helpers import build_distiller, make_batch, merged_labels

#: dataset x annotates background, disc, square; y background, triangle,
#: ring; both call background what they do not annotate
SPACES = dict(
    x=dict(label_space=[0, 1, 2], silent_labels=[0], dataset_name='x'),
    y=dict(label_space=[0, 3, 4], silent_labels=[0], dataset_name='y'))


def _batch(seed=0):
    """Two samples, of x and of y, each labelled in its own classes."""
    inputs, labels, samples = make_batch(seed)
    labels = labels.clone()
    labels[0][labels[0] > 2] = 0  # x knows 0-2
    labels[1][(labels[1] > 0) & (labels[1] < 3)] = 0  # y knows 0, 3, 4
    for sample, label, space in zip(samples, labels, SPACES.values()):
        sample.gt_sem_seg.data = label.clone()
        sample.set_metainfo(space)
    return inputs, labels, samples


def _distiller(clip_configs, tmp_path, **kwargs):
    kwargs.setdefault('labellers', [dict(type='TeacherLabeller', start=0)])
    kwargs.setdefault('unseen_idx', [])
    model = build_distiller(
        clip_configs, tmp_path, type='MultiDatasetDistiller', **kwargs)
    model.set_train_iter(0)
    return model


def test_the_loss_is_cross_entropy_over_each_samples_own_classes():
    g = torch.Generator().manual_seed(0)
    logits = torch.randn(2, 5, 8, 8, generator=g, requires_grad=True)
    annotated = torch.tensor([[1, 1, 1, 0, 0], [1, 0, 0, 1, 1]]).bool()
    labels = torch.stack([
        torch.randint(0, 3, (16, 16), generator=g),
        torch.tensor([0, 3, 4])[torch.randint(0, 3, (16, 16), generator=g)]
    ])
    closed = torch.zeros(2, 1, 16, 16, dtype=torch.bool)
    loss = F.cross_entropy(
        restrict_logits(logits, annotated, closed, False), labels)
    up = F.interpolate(logits, (16, 16), mode='bilinear', align_corners=False)
    own = [[0, 1, 2], [0, 3, 4]]
    expected = torch.stack([
        F.cross_entropy(
            up[i:i + 1, own[i]],
            torch.searchsorted(torch.tensor(own[i]), labels[i:i + 1]),
            reduction='sum') for i in range(2)
    ]).sum() / labels.numel()
    assert torch.allclose(loss, expected, atol=1e-5)
    loss.backward()
    # neither positives nor negatives: no gradient at all
    assert logits.grad[0, 3:].abs().max() == 0
    assert logits.grad[1, 1:3].abs().max() == 0
    assert logits.grad[0, :3].abs().max() > 0


def test_open_pixels_let_every_class_compete():
    logits = torch.zeros(1, 3, 4, 4)
    annotated = torch.tensor([[True, False, False]])
    open_pixels = torch.zeros(1, 1, 4, 4, dtype=torch.bool)
    open_pixels[..., 0, 0] = True
    out = restrict_logits(logits, annotated, open_pixels, False)
    assert (out[0, 1:, 0, 0] == 0).all()
    assert (out[0, 1:, 1:, :] == OUTSIDE_LOGIT).all()
    assert (out[0, 0] == 0).all()


def test_the_decode_loss_sees_each_samples_classes_only(
        clip_configs, tmp_path, monkeypatch):
    model = _distiller(clip_configs, tmp_path, labellers=[])
    inputs, labels, samples = _batch()
    seen = []
    head = model.student.decode_head
    original = head.loss_by_feat
    monkeypatch.setattr(
        head, 'loss_by_feat', lambda logits, targets: seen.append(
            (logits, targets)) or original(logits, targets))
    losses = model.loss(inputs, samples)
    logits, targets = seen[0]
    assert logits.shape == (2, 5, 64, 64)
    assert (logits[0, 3:] == OUTSIDE_LOGIT).all()
    assert (logits[1, 1:3] == OUTSIDE_LOGIT).all()
    assert (logits[0, :3] != OUTSIDE_LOGIT).all()
    # no labeller: the ground truth as it is, background included
    assert torch.equal(
        torch.stack([t.gt_sem_seg.data for t in targets]), labels)
    assert float(losses['pseudo_frac']) == 0
    for sample, label in zip(samples, labels):  # inputs left as they were
        assert torch.equal(sample.gt_sem_seg.data, label)


def test_pseudo_labels_fill_silent_pixels_with_unannotated_classes(
        clip_configs, tmp_path, monkeypatch):
    model = _distiller(clip_configs, tmp_path)
    labeller = model.labellers[0]
    # the labeller is surest of disc (1), then triangle (3), everywhere
    prefer = torch.tensor([0., 9., 1., 5., 2.])
    monkeypatch.setattr(
        labeller, 'forward',
        lambda batch: batch.restrict(prefer[None, :, None, None].expand(
            2, 5, 8, 8).clone()))
    inputs, labels, samples = _batch()
    merged = merged_labels(model, inputs, samples, monkeypatch)
    silent = labels == 0
    assert torch.equal(merged[~silent], labels[~silent])
    # x annotates the disc: its background becomes a triangle; y does not
    assert (merged[0][silent[0]] == 3).all()
    assert (merged[1][silent[1]] == 1).all()


def test_unsure_pseudo_labels_keep_the_datasets_own_label(
        clip_configs, tmp_path, monkeypatch):
    model = _distiller(clip_configs, tmp_path, confidence_thresh=0.9)
    monkeypatch.setattr(model.labellers[0], 'forward',
                        lambda batch: batch.restrict(torch.zeros(2, 5, 8, 8)))
    inputs, labels, samples = _batch()
    assert torch.equal(
        merged_labels(model, inputs, samples, monkeypatch), labels)


def test_samples_that_say_nothing_are_labelled_in_full():
    _, labels, samples = make_batch()
    spaces = sample_spaces(samples, 5, torch.device('cpu'))
    assert spaces.annotated.all()
    assert not spaces.silent_pixels(labels).any()


def test_silent_pixels_are_the_silent_labels_of_each_sample():
    _, labels, samples = _batch()
    samples[1].set_metainfo(dict(silent_labels=[4, 255]))
    labels = labels.clone()
    labels[1, 0, 0, 0] = 255
    spaces = sample_spaces(samples, 5, torch.device('cpu'))
    silent = spaces.silent_pixels(labels)
    assert torch.equal(silent[0], labels[0] == 0)
    assert torch.equal(silent[1], (labels[1] == 4) | (labels[1] == 255))


@pytest.mark.parametrize('kwargs, match', [
    (dict(image_tags=True), 'takes no image_tags'),
    (dict(unseen_idx='all'), 'unseen_idx must be class indices'),
])
def test_settings_of_one_dataset_are_refused(clip_configs, tmp_path, kwargs,
                                             match):
    with pytest.raises(ConfigError, match=match):
        _distiller(clip_configs, tmp_path, **kwargs)


def test_a_label_space_outside_the_vocabulary_is_named(clip_configs, tmp_path):
    model = _distiller(clip_configs, tmp_path, labellers=[])
    inputs, _, samples = _batch()
    samples[0].set_metainfo(dict(label_space=[0, 7]))
    with pytest.raises(Exception, match=r"label space classes \[7\]"):
        model.loss(inputs, samples)


def test_descriptions_name_the_classes(clip_configs, tmp_path):
    """SSIW names classes by sentences: the distiller's descriptions go
    into the texts (and only there)."""
    plain = _distiller(clip_configs, tmp_path, labellers=[])
    described = _distiller(
        clip_configs,
        tmp_path,
        labellers=[],
        descriptions=[f'a thing of kind {i}.' for i in range(5)])
    assert described.class_names == plain.class_names
    assert not torch.allclose(described.text, plain.text)
    for key, value in plain.student.state_dict().items():
        assert torch.equal(value, described.student.state_dict()[key]), key
