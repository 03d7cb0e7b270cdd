"""The local-window CRF that snaps pseudo-labels to image edges."""
import pytest
import torch

from vlkd_seg.models.refiners import LocalCRF


def _two_region_image(size=24, edge=14):
    """Dark left part up to column ``edge``, bright object right of it."""
    image = torch.full((1, 3, size, size), 60.)
    image[..., edge:] = 200.
    return image + torch.randn(
        image.shape, generator=torch.Generator().manual_seed(0))


def _blurry_probs(size=24, boundary=8.):
    """Class 1 (the object) ramps up around column ``boundary``: the coarse
    map puts the edge 6 pixels left of the true one."""
    cols = torch.arange(size, dtype=torch.float)
    p1 = torch.sigmoid((cols - boundary) / 3).expand(size, size)
    return torch.stack([1 - p1, p1])[None]


def test_the_crf_moves_the_boundary_to_the_colour_edge():
    image, probs = _two_region_image(), _blurry_probs()
    truth = torch.zeros(24, 24, dtype=torch.long)
    truth[:, 14:] = 1
    before = (probs.argmax(1)[0] == truth).float().mean()
    # the window (+-8 pixels) reaches across the wrong band
    refined = LocalCRF(radius=4, dilation=2, bi_rgb_std=10.)(probs, image)
    after = (refined.argmax(1)[0] == truth).float().mean()
    assert before < 0.8  # columns 8-13 wrong
    assert after > 0.95


def test_probabilities_stay_probabilities_and_absent_classes_absent():
    probs = torch.rand(2, 4, 10, 12)
    probs[:, 2] = 0  # a class outside the image's tags
    probs = probs / probs.sum(1, keepdim=True)
    image = torch.rand(2, 3, 10, 12) * 255
    refined = LocalCRF(iters=5, radius=2)(probs, image)
    torch.testing.assert_close(refined.sum(1), torch.ones(2, 10, 12))
    assert refined[:, 2].max() < 1e-20
    assert refined.shape == probs.shape


def test_images_of_a_batch_are_refined_independently():
    probs = torch.rand(2, 3, 8, 8).softmax(1)
    image = torch.rand(2, 3, 8, 8) * 255
    crf = LocalCRF(iters=3, radius=2)
    torch.testing.assert_close(
        crf(probs, image)[1:], crf(probs[1:], image[1:]))


def test_zero_weights_leave_the_probabilities_as_they_are():
    probs = torch.rand(1, 3, 6, 6).softmax(1)
    out = LocalCRF(bi_w=0., pos_w=0.)(probs, torch.rand(1, 3, 6, 6))
    torch.testing.assert_close(out, probs)


@pytest.mark.parametrize(
    'kwargs',
    [dict(iters=0), dict(bi_rgb_std=-1.),
     dict(pos_w=-2.)])
def test_bad_settings_are_refused(kwargs):
    with pytest.raises(ValueError, match='LocalCRF'):
        LocalCRF(**kwargs)


def test_mismatched_sizes_are_refused():
    with pytest.raises(ValueError, match='differ'):
        LocalCRF()(torch.rand(1, 2, 8, 8), torch.rand(1, 3, 9, 8))
