"""CLIPJudgedCAMLoss (CLIMS): each term is its formula, CLIP sees the
masked images the formula names, CLIP stays frozen and untagged maps take
no gradient."""
import math

import pytest
import torch
import torch.nn.functional as F
from mmengine.registry import init_default_scope
from mmseg.registry import MODELS

from vlkd_seg.models.losses.clip_judged_cam_loss import CLIPJudgedCAMLoss
from vlkd_seg.utils.errors import ConfigError


def _judge(seen):
    """A differentiable stand-in for CLIP's image tower: unit 3-d
    embeddings of simple image statistics; it records what it sees."""

    def judge(x):
        seen.append(x.detach().clone())
        feats = torch.stack(
            [x.mean((1, 2, 3)),
             x.abs().mean((1, 2, 3)),
             torch.ones(len(x))], -1)
        return F.normalize(feats, dim=-1)

    return judge


def _case(seed=0):
    g = torch.Generator().manual_seed(seed)
    maps = torch.rand(2, 3, 4, 4, generator=g).requires_grad_()
    images = torch.randn(2, 3, 8, 8, generator=g)
    pairs = torch.tensor([[0, 1], [1, 0], [1, 2]])  # image 0 is tagged 1
    text = F.normalize(torch.randn(3, 3, generator=g), dim=-1)
    background = F.normalize(torch.randn(4, 3, generator=g), dim=-1)
    return maps, images, pairs, text, background


def test_each_term_is_its_formula_on_the_masked_images():
    loss = CLIPJudgedCAMLoss(input_size=8, suppression_thresh=-1.)
    maps, images, pairs, text, background = _case()
    seen = []
    out = loss(maps, images, pairs, _judge(seen), text, background)
    kept = maps[pairs[:, 0], pairs[:, 1]][:, None].detach()
    mask = F.interpolate(kept, (8, 8), mode='bilinear', align_corners=True)
    image = images[pairs[:, 0]]
    # CLIP is shown M * I, then (1 - M) * I, for every tagged pair
    assert torch.allclose(seen[0], mask * image)
    assert torch.allclose(seen[1], (1 - mask) * image)
    fg, bg = _judge([])(mask * image), _judge([])((1 - mask) * image)
    t = text[pairs[:, 1]]
    s_fg = (fg * t).sum(-1).clamp(1e-4, 1 - 1e-4)
    s_bg = (bg * t).sum(-1).clamp(1e-4, 1 - 1e-4)
    s_j = (fg @ background.t()).clamp(1e-4, 1 - 1e-4)
    expected = dict(
        loss_object=10 * -torch.log(s_fg).mean(),
        loss_background=24 * -torch.log(1 - s_bg).mean(),
        loss_suppression=-torch.log(1 - s_j).sum(),  # every text counts
        loss_area=0.2 * kept.mean())
    for key, value in expected.items():
        assert torch.allclose(out[key], value, atol=1e-6), key


def test_suppression_counts_only_texts_above_the_threshold():
    maps, images, pairs, text, background = _case()
    high = CLIPJudgedCAMLoss(input_size=8, suppression_thresh=0.99)
    out = high(maps, images, pairs, _judge([]), text, background)
    fg = _judge([])(
        F.interpolate(
            maps[pairs[:, 0], pairs[:, 1]][:, None].detach(), (8, 8),
            mode='bilinear',
            align_corners=True) * images[pairs[:, 0]])
    above = (fg @ background.t()) > 0.99
    assert (float(out['loss_suppression']) == 0) == (not above.any())
    assert math.isfinite(float(out['loss_suppression']))


def test_untagged_maps_take_no_gradient():
    loss = CLIPJudgedCAMLoss(input_size=8)
    maps, images, pairs, text, background = _case()
    sum(loss(maps, images, pairs, _judge([]), text,
             background).values()).backward()
    tagged = torch.zeros(2, 3, dtype=torch.bool)
    tagged[pairs[:, 0], pairs[:, 1]] = True
    assert maps.grad[~tagged].abs().max() == 0
    assert (maps.grad[tagged].flatten(1).abs().amax(1) > 0).all()


def test_the_clip_judge_stays_frozen(clip_configs):
    init_default_scope('mmseg')
    teacher = MODELS.build(
        dict(
            type='CLIPTeacher',
            model_name=clip_configs['rn'],
            templates='single',
            text_cache_dir=''))
    before = {k: v.clone() for k, v in teacher.state_dict().items()}
    loss = CLIPJudgedCAMLoss(input_size=64)
    maps, images, pairs, _, _ = _case()
    text = teacher.encode_text(['disc', 'ring', 'star'])
    background = teacher.encode_text(['grass', 'sky'])
    out = loss(maps, images, pairs, teacher.judge_images, text, background)
    sum(out.values()).backward()
    assert maps.grad.abs().sum() > 0  # the maps learn through CLIP
    assert all(p.grad is None for p in teacher.parameters())
    for key, value in teacher.state_dict().items():
        assert torch.equal(value, before[key]), key


@pytest.mark.parametrize('kwargs, match', [
    (dict(object_weight=-1), 'object_weight must be a number >= 0'),
    (dict(suppression_thresh=2), r'suppression_thresh must be a number in'),
    (dict(input_size=0), 'input_size must be a number >= 1'),
])
def test_bad_settings_are_named(kwargs, match):
    with pytest.raises(ConfigError, match=match):
        CLIPJudgedCAMLoss(**kwargs)
