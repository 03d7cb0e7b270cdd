import pytest
import torch
import torch.nn.functional as F
from mmengine.registry import init_default_scope
from mmseg.registry import MODELS

from vlkd_seg.models.teachers.dense import vit_tokens
from vlkd_seg.utils import UserError


def _backbone(clip_configs, **kwargs):
    init_default_scope('mmseg')
    torch.manual_seed(0)
    cfg = dict(
        type='PromptedCLIPViT', model_name=clip_configs['vit'], num_tokens=3)
    return MODELS.build(dict(cfg, **kwargs))


def test_only_the_prompt_parts_train_and_clip_stays_bit_identical(
        clip_configs):
    model = _backbone(clip_configs).train()
    trainable = {n for n, p in model.named_parameters() if p.requires_grad}
    assert trainable == {
        'prompts', 'prompt_proj.weight', 'prompt_proj.bias',
        'prompt_norm.weight', 'prompt_norm.bias'
    }
    clip = {k: v.clone() for k, v in model.visual.state_dict().items()}
    prompts = model.prompts.detach().clone()
    optim = torch.optim.SGD([p for p in model.parameters() if p.requires_grad],
                            lr=1.)
    patches, image = model(torch.randn(2, 3, 32, 32))
    (patches.sum() + image.sum()).backward()
    optim.step()
    for key, value in model.visual.state_dict().items():
        assert torch.equal(value, clip[key]), key
    assert not torch.equal(model.prompts, prompts)
    assert not model.visual.training  # the tower stays in eval mode


def test_any_input_size_and_unit_embeddings(clip_configs):
    model = _backbone(clip_configs).eval()
    # the checkpoint's grid is 4 x 4 (32 px, patch 8); inputs differ
    patches, image = model(torch.randn(2, 3, 40, 64))
    assert patches.shape == (2, 32, 5, 8) and image.shape == (2, 32)
    torch.testing.assert_close(patches.norm(dim=1), torch.ones(2, 5, 8))
    torch.testing.assert_close(image.norm(dim=1), torch.ones(2))


def test_positions_are_resized_bilinearly_from_the_checkpoint_grid(
        clip_configs):
    visual = _backbone(clip_configs).visual
    x = torch.randn(1, 3, 40, 64)
    tokens, grid = vit_tokens(visual, x, 'bilinear')
    pos = visual.positional_embedding
    grid_pos = pos[1:].reshape(1, 4, 4, -1).permute(0, 3, 1, 2)
    resized = F.interpolate(
        grid_pos, size=(5, 8), mode='bilinear', align_corners=False)
    patches = visual.conv1(x).flatten(2).transpose(1, 2)
    expected = visual.ln_pre(patches + resized.flatten(2).transpose(1, 2))
    assert grid == (5, 8)
    torch.testing.assert_close(tokens[:, 1:], expected)


def test_every_block_gets_fresh_prompts(clip_configs):
    model = _backbone(clip_configs).eval()
    x = torch.randn(1, 3, 32, 32)
    before = model(x)[0]
    with torch.no_grad():
        model.prompts[1].add_(1.)  # the second (last) block's prompts
    assert not torch.allclose(model(x)[0], before)
    shallow = _backbone(clip_configs, prompt_layers=1).eval()
    assert shallow.prompts.shape == (1, 3, 64)


@pytest.mark.parametrize('kwargs, match', [
    (dict(num_tokens=0), 'num_tokens must be an integer >= 1, got 0'),
    (dict(prompt_layers=3), r'prompt_layers must be an integer in \[1, 2\]'),
    (dict(pos_interp='nearest'), "pos_interp must be 'bilinear' or"),
    (dict(prompt_dropout=1.5), r'prompt_dropout must be a number in'),
])
def test_bad_options_are_clear_errors(clip_configs, kwargs, match):
    with pytest.raises(UserError, match=match):
        _backbone(clip_configs, **kwargs)


def test_a_resnet_clip_or_an_odd_size_is_refused(clip_configs):
    init_default_scope('mmseg')
    with pytest.raises(UserError, match='needs a ViT CLIP'):
        MODELS.build(
            dict(type='PromptedCLIPViT', model_name=clip_configs['rn']))
    with pytest.raises(UserError, match='not a multiple of the patch size'):
        _backbone(clip_configs)(torch.randn(1, 3, 30, 32))
