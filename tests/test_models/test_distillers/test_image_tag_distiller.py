"""Pseudo-labels from image tags (CLIP-ES style)."""
import numpy as np
import pytest
import torch

from vlkd_seg.datasets import UNLABELED_INDEX, ImageTags
from vlkd_seg.models.distillers import fold_background, merge_pseudo_labels
from ._helpers import NAMES, build_distiller, make_batch, merged_labels


def _tag_distiller(clip_configs,
                   tmp_path,
                   refiners=(),
                   background_texts=(),
                   **kwargs):
    labellers = [
        dict(
            type='TeacherLabeller',
            start=2,
            background_texts=background_texts,
            refiners=refiners),
        dict(type='StudentLabeller', start=4)
    ]
    return build_distiller(
        clip_configs,
        tmp_path,
        unseen_idx='all',
        image_tags=True,
        background_idx=0,
        labellers=labellers,
        **kwargs)


def _tagged_batch(tags):
    inputs, _, samples = make_batch()
    for sample, image_tags in zip(samples, tags):
        sample.gt_sem_seg.data.fill_(UNLABELED_INDEX)
        sample.set_metainfo(dict(img_tags=image_tags))
    return inputs, samples


CRF = dict(type='LocalCRF', iters=3, radius=2, bi_rgb_std=30.)


@pytest.mark.parametrize(
    'phase_iter, refiners',
    [(2, []), (4, []), (2, [CRF]),
     (2, [dict(type='AttentionAffinity', layers=1)]),
     (2, [dict(type='AttentionAffinity'),
          dict(type='LocalCRF', iters=2)])])
def test_a_pixel_gets_a_tagged_class_or_background(clip_configs, tmp_path,
                                                   monkeypatch, phase_iter,
                                                   refiners):
    model = _tag_distiller(
        clip_configs,
        tmp_path,
        refiners=refiners,
        background_texts=['ground', 'sky'])
    tags = [[2], [3, 4]]
    inputs, samples = _tagged_batch(tags)
    model.set_train_iter(phase_iter)  # teacher labels at 2, self at 4
    labels = merged_labels(model, inputs, samples, monkeypatch)
    for image_tags, merged in zip(tags, labels):
        assert set(merged.unique().tolist()) <= set(image_tags) | {0, 255}
        assert (merged != 255).any()


def test_refinement_runs_on_the_teachers_labels_only(clip_configs, tmp_path,
                                                     monkeypatch):
    model = _tag_distiller(
        clip_configs, tmp_path, refiners=[dict(type='LocalCRF', iters=1)])
    calls = []
    crf = model.labellers[0].refiners[0]
    original = crf.refine
    monkeypatch.setattr(crf, 'refine',
                        lambda p, batch: calls.append(1) or original(p, batch))
    inputs, samples = _tagged_batch([[2], [3]])
    for it in (2, 4):  # teacher phase, then self-training
        model.set_train_iter(it)
        merged_labels(model, inputs, samples, monkeypatch)
    assert calls == [1]


def test_one_confident_tag_gives_the_teachers_argmax():
    # teacher logits over 5 classes on a 4x4 map: class 3 (the tag) wins
    # the left half, background the right; class 1 is higher still
    # everywhere but is not tagged
    logits = torch.zeros(1, 5, 4, 4)
    logits[0, 3, :, :2] = 30.
    logits[0, 0, :, 2:] = 30.
    logits[0, 1] = 50.
    allowed = torch.tensor([[True, False, False, True, False]])
    source = logits.masked_fill(~allowed[..., None, None], -1e4)
    merged = merge_pseudo_labels(
        torch.full((1, 1, 4, 4), UNLABELED_INDEX), source, range(5))
    expected = torch.tensor([3, 3, 0, 0]).expand(4, 4)
    assert torch.equal(merged[0, 0], expected)


def test_the_threshold_ignores_exactly_the_pixels_below_it():
    logits = torch.zeros(1, 2, 1, 4)
    logits[0, 1, 0] = torch.tensor([0., 0.5, 2., 4.])
    prob = logits.softmax(1).amax(1)[0, 0]  # 0.5, 0.62, 0.88, 0.98
    thresh = 0.8
    merged = merge_pseudo_labels(
        torch.full((1, 1, 1, 4), UNLABELED_INDEX), logits, [0, 1], thresh)
    ignored = merged[0, 0, 0] == 255
    assert torch.equal(ignored, prob < thresh)
    assert ignored.tolist() == [True, True, False, False]


def test_background_texts_add_their_probability_to_background():
    logits = torch.randn(2, 3 + 2, 3, 3)
    folded = fold_background(logits, 3, background_idx=0)
    full = logits.softmax(1)
    expected = torch.cat(
        [full[:, :1] + full[:, 3:].sum(1, keepdim=True), full[:, 1:3]], dim=1)
    torch.testing.assert_close(folded.softmax(1), expected)


def test_image_tags_keep_the_classes_and_hide_every_pixel():
    seg = np.array([[0, 2, 2], [255, 5, 0]], dtype=np.uint8)
    out = ImageTags().transform(dict(gt_seg_map=seg, seg_fields=[]))
    assert out['img_tags'] == [0, 2, 5]
    assert set(np.unique(out['gt_seg_map'])) == {UNLABELED_INDEX, 255}
    assert out['gt_seg_map'][1, 0] == 255


def test_tags_from_a_file_for_images_without_masks(tmp_path):
    path = tmp_path / 'tags.json'
    path.write_text('{"a.jpg": [4, 1]}')
    out = ImageTags(tag_file=str(path)).transform(
        dict(img_path='x/a.jpg', img_shape=(3, 5)))
    assert out['img_tags'] == [1, 4]
    assert out['gt_seg_map'].shape == (3, 5)
    assert (out['gt_seg_map'] == UNLABELED_INDEX).all()


def test_a_sample_without_tags_is_one_clear_error(clip_configs, tmp_path):
    model = _tag_distiller(clip_configs, tmp_path)
    model.set_train_iter(2)
    inputs, _, samples = make_batch()
    with pytest.raises(RuntimeError, match='no img_tags'):
        model.loss(inputs, samples)


def test_background_texts_need_a_background_class(clip_configs, tmp_path):
    model = build_distiller(
        clip_configs,
        tmp_path,
        labellers=[dict(type='TeacherLabeller', background_texts=['sky'])])
    model.set_train_iter(0)
    inputs, _, samples = make_batch()
    with pytest.raises(ValueError, match="set the distiller's background"):
        model.loss(inputs, samples)
    assert NAMES[0] == 'background'
