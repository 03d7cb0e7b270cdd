"""MaskCLIP's key smoothing and prompt denoising as refiners, checked
against the release's formulas (cosines, -100 for denoised classes,
``softmax(100 * cosine)``, key affinity)."""
import pytest
import torch
import torch.nn.functional as F
from mmengine.registry import init_default_scope
from mmseg.registry import MODELS

from vlkd_seg.models.refiners import (KeySmoothing, PromptDenoising,
                                      key_smoothing, prompt_denoising)
from vlkd_seg.utils import UserError
from ..test_segmentors.test_maskclip_segmentor import _segmentor

KSPD = [
    dict(type='PromptDenoising', thresh=0.5),
    dict(type='KeySmoothing', thresh=1.01)  # every location
]


def maskclip_release_refinement(cosine, keys, pd_thresh):
    """``log p`` of the release: denoise the cosines, softmax, smooth every
    location by the cosine of its keys to the others."""
    denoised = cosine.clone()
    peak = (100 * cosine).softmax(1).amax(dim=(2, 3), keepdim=True)
    denoised[(peak < pd_thresh).expand_as(denoised)] = -100
    probs = (100 * denoised).softmax(1).flatten(2)
    k = F.normalize(keys.flatten(2), dim=1)
    smoothed = probs @ (k.transpose(1, 2) @ k).transpose(1, 2)
    return smoothed.reshape(cosine.shape).clamp_min(1e-30).log()


def test_prompt_denoising_removes_classes_no_location_is_sure_of():
    probs = torch.tensor([[0.6, 0.2], [0.1, 0.7], [0.3, 0.1]])[None, :, None]
    out = prompt_denoising(probs, 0.5)  # class 2 peaks at 0.3
    assert torch.all(out[0, 2] == 0)
    torch.testing.assert_close(
        out[0, :2], probs[0, :2] / probs[0, :2].sum(0, keepdim=True))
    # no class sure anywhere: uniform, as the release's all -100 cosines
    torch.testing.assert_close(
        prompt_denoising(probs, 0.9), torch.full_like(probs, 1 / 3))


def test_key_smoothing_leaves_confident_locations_alone():
    probs = torch.tensor([[0.9, 0.5], [0.1, 0.5]])[None, :, None]
    keys = torch.tensor([[1., 1.], [0., 0.]])[None, :, None]  # alike keys
    out = key_smoothing(probs, keys, 0.8)
    torch.testing.assert_close(out[..., 0], probs[..., 0])
    torch.testing.assert_close(out[0, :, 0, 1], torch.tensor([1.4, 0.6]))


def test_the_segmentor_refines_as_the_release_does(clip_configs, tmp_path):
    model = _segmentor(clip_configs['vit'], tmp_path, refiners=KSPD)
    plain = _segmentor(clip_configs['vit'], tmp_path)
    x = torch.randn(1, 3, 32, 32)
    feats, keys = model.teacher.dense_features_and_keys(x)
    cosine = torch.einsum('nchw,kc->nkhw', feats, model.text)
    expected = maskclip_release_refinement(cosine, keys, 0.5) / 100
    torch.testing.assert_close(model._refined_logits(x), expected)
    torch.testing.assert_close(plain._refined_logits(x), cosine)
    assert not torch.allclose(expected, cosine)


def test_projected_keys_are_the_release_vit_keys(clip_configs, tmp_path):
    """project_keys: the ViT's keys through its last attention's
    out_proj before the smoothing, as the release's vit.py returns them."""
    refiners = [KSPD[0], dict(KSPD[1], project_keys=True)]
    model = _segmentor(clip_configs['vit'], tmp_path, refiners=refiners)
    x = torch.randn(1, 3, 32, 32)
    feats, keys = model.teacher.dense_features_and_keys(x)
    out_proj = model.teacher.clip.visual.transformer.resblocks[
        -1].attn.out_proj
    projected = torch.einsum('oc,nchw->nohw', out_proj.weight,
                             keys) + out_proj.bias[:, None, None]
    cosine = torch.einsum('nchw,kc->nkhw', feats, model.text)
    expected = maskclip_release_refinement(cosine, projected, 0.5) / 100
    torch.testing.assert_close(model._refined_logits(x), expected)
    unprojected = maskclip_release_refinement(cosine, keys, 0.5) / 100
    assert not torch.allclose(expected, unprojected)


@pytest.mark.parametrize('refiners, match', [
    ([dict(type='LocalCRF')], "pixels, which MaskCLIPSegmentor does not"),
    ([dict(type='PixelDistillLoss')], 'PixelDistillLoss is not a refiner'),
    (dict(type='KeySmoothing'), 'must be a list of refiner configs'),
    ([dict(type='PromptDenoising', thresh=5)
      ], r'thresh must be a number in \[0, 1\], got 5'),
    ([dict(type='AttentionAffinity', box_thresh=2)
      ], r'box_thresh must be a number in \[0, 1\], got 2'),
    ([dict(type='KeySmoothing', thresh='high')
      ], "thresh must be a number >= 0, got 'high'"),
    ([dict(type='KeySmoothing', project_keys='yes')
      ], "project_keys must be True or False, got 'yes'"),
])
def test_bad_refiners_are_clear_errors(clip_configs, tmp_path, refiners,
                                       match):
    with pytest.raises(UserError, match=match):
        _segmentor(clip_configs['vit'], tmp_path, refiners=refiners)


def test_refiners_are_registered_by_name():
    init_default_scope('mmseg')
    assert isinstance(
        MODELS.build(dict(type='KeySmoothing', thresh=1.)), KeySmoothing)
    assert isinstance(
        MODELS.build(dict(type='PromptDenoising')), PromptDenoising)
