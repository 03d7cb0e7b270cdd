"""CLIPRegionClassifier names each proposal from its own pixels only."""
import pytest
import torch
import torch.nn.functional as F

from vlkd_seg.models import CLIPTeacher
from vlkd_seg.models.teachers import CLIPRegionClassifier
from vlkd_seg.utils import ConfigError


@pytest.fixture(scope='module')
def clip(clip_configs):
    torch.manual_seed(0)
    return CLIPTeacher(clip_configs['vit'], text_cache_dir='')


def _case():
    torch.manual_seed(1)
    images = torch.randn(1, 3, 32, 32)
    logits = torch.full((1, 3, 32, 32), -10.)
    logits[0, 0, 4:20, 8:24] = 10.  # a square
    logits[0, 1, 16:32, 0:16] = 10.  # another, overlapping it
    # proposal 2 is empty
    text = F.normalize(torch.randn(4, 32), dim=-1)
    return images, logits, text


@pytest.mark.parametrize('mode', ['crop', 'pool'])
def test_pixels_outside_a_mask_never_reach_its_class(clip, mode, monkeypatch):
    images, logits, text = _case()
    # temperature 1: probabilities that do not saturate show any change
    classifier = CLIPRegionClassifier(mode=mode, logit_scale=1.)
    if mode == 'pool':  # the features are what is pooled: vary them
        feats = F.normalize(torch.randn(1, 32, 4, 4), dim=1)
        monkeypatch.setattr(clip, 'dense_features', lambda x: feats.clone())
    probs, valid = classifier(clip, images, logits, text)
    assert probs.shape == (1, 3, 4) and valid.tolist() == [[True, True, False]]
    torch.testing.assert_close(probs[0, :2].sum(-1), torch.ones(2))
    assert (probs[0, 2] == 1).all()  # empty: neutral in an ensemble
    outside = torch.ones(32, 32, dtype=torch.bool)
    outside[4:20, 8:24] = False
    if mode == 'crop':
        changed = images.clone()
        changed[..., outside] = torch.randn(3, int(outside.sum()))
        again, _ = classifier(clip, changed, logits, text)
    else:  # the square lies in rows 0-2 of the 4x4 grid of 8 px cells
        changed = feats.clone()
        changed[..., 3:, :] = F.normalize(torch.randn(1, 32, 1, 4), dim=1)
        monkeypatch.setattr(clip, 'dense_features',
                            lambda x: changed.clone())
        again, _ = classifier(clip, images, logits, text)
    torch.testing.assert_close(again[0, 0], probs[0, 0])
    assert not torch.allclose(again[0, 1], probs[0, 1])


def test_a_crop_is_the_masked_box_at_clips_input_size(clip, monkeypatch):
    images, logits, text = _case()
    seen = []
    monkeypatch.setattr(clip, 'encode_image',
                        lambda x: seen.append(x) or torch.ones(len(x), 32))
    CLIPRegionClassifier(mode='crop')(clip, images, logits, text)
    (crops, ) = seen
    assert crops.shape == (3, 3, 32, 32)  # tiny ViT reads 32 px
    box = images[0, :, 4:20, 8:24]
    expected = F.interpolate(
        box[None], (32, 32), mode='bicubic', align_corners=True)[0]
    torch.testing.assert_close(crops[0], expected)
    assert (crops[2] == 0).all()


@pytest.mark.parametrize('kwargs, message', [
    (dict(mode='box'), "'crop' or 'pool'"),
    (dict(mask_thresh=2), 'mask_thresh must be a number in'),
    (dict(crop_size=0), 'crop_size must be a positive int'),
])
def test_bad_options_are_config_errors(kwargs, message):
    with pytest.raises(ConfigError, match=message):
        CLIPRegionClassifier(**kwargs)
