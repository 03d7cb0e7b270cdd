import open_clip
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from vlkd_seg.models import CLIPTeacher


def _teacher(config, tmp_path, **kwargs):
    torch.manual_seed(0)
    kwargs.setdefault('text_cache_dir', str(tmp_path / 'text_cache'))
    return CLIPTeacher(config, **kwargs)


def _reference_vit(visual, x):
    """MaskCLIP ViT features from open_clip's own modules: the last block
    run with a mask that lets each token attend only to itself."""
    tokens = visual.conv1(x)
    n, c, h, w = tokens.shape
    tokens = tokens.flatten(2).transpose(1, 2)
    tokens = torch.cat([visual.class_embedding.expand(n, 1, c), tokens], 1)
    gh, gw = visual.grid_size
    patch_pos = visual.positional_embedding[1:].reshape(1, gh, gw, c)
    patch_pos = F.interpolate(
        patch_pos.permute(0, 3, 1, 2),
        size=(h, w),
        mode='bicubic',
        align_corners=False)
    pos = torch.cat(
        [visual.positional_embedding[:1],
         patch_pos.flatten(2)[0].T])
    tokens = visual.ln_pre(tokens + pos)
    blocks = visual.transformer.resblocks
    for block in blocks[:-1]:
        tokens = block(tokens)
    length = tokens.shape[1]
    self_only = torch.full((length, length), float('-inf'))
    self_only.fill_diagonal_(0)
    tokens = blocks[-1](tokens, attn_mask=self_only)
    feats = visual.ln_post(tokens[:, 1:]) @ visual.proj
    return F.normalize(feats.transpose(1, 2).reshape(n, -1, h, w), dim=1)


def _reference_rn(visual, x):
    f = visual.layer4(
        visual.layer3(visual.layer2(visual.layer1(visual.stem(x)))))
    pool = visual.attnpool
    out = pool.c_proj(pool.v_proj(f.permute(0, 2, 3, 1)))
    return F.normalize(out.permute(0, 3, 1, 2), dim=1)


@pytest.mark.parametrize('kind, size, grid', [
    ('vit', (32, 32), (4, 4)),
    ('vit', (40, 56), (5, 7)),
    ('rn', (64, 64), (2, 2)),
    ('rn', (96, 160), (3, 5)),
])
def test_dense_features_follow_maskclip(clip_configs, tmp_path, kind, size,
                                        grid):
    teacher = _teacher(clip_configs[kind], tmp_path)
    x = torch.randn(2, 3, *size)
    feats = teacher.dense_features(x)
    assert feats.shape == (2, 32, *grid)
    torch.testing.assert_close(feats.norm(dim=1), torch.ones(2, *grid))
    reference = (_reference_vit if kind == 'vit' else _reference_rn)(
        teacher.clip.visual, x)
    torch.testing.assert_close(feats, reference, atol=1e-5, rtol=1e-4)


@pytest.mark.parametrize('kind', ['vit', 'rn'])
def test_encode_image_and_single_template_text_match_open_clip(
        clip_configs, tmp_path, kind):
    teacher = _teacher(clip_configs[kind], tmp_path, templates='single')
    size = teacher.clip.visual.image_size
    size = size[0] if isinstance(size, tuple) else size
    x = torch.randn(2, 3, size, size)
    torch.testing.assert_close(
        teacher.encode_image(x),
        F.normalize(teacher.clip.encode_image(x), dim=-1),
        atol=1e-5,
        rtol=0)
    names = ['disc', 'potted plant']
    tokens = teacher.tokenizer([f'a photo of a {n}.' for n in names])
    expected = F.normalize(teacher.clip.encode_text(tokens), dim=-1)
    torch.testing.assert_close(
        teacher.encode_text(names), expected, atol=1e-5, rtol=0)


def test_templates_are_averaged_and_descriptions_appended(
        clip_configs, tmp_path):
    teacher = _teacher(clip_configs['vit'], tmp_path)
    templates = ['a photo of a {}.', 'a drawing of a {}.']
    bank = teacher.encode_text(['cat'],
                               templates=templates,
                               descriptions=['It purrs.'])
    tokens = teacher.tokenizer(
        ['a photo of a cat. It purrs.', 'a drawing of a cat. It purrs.'])
    each = F.normalize(teacher.clip.encode_text(tokens), dim=-1)
    torch.testing.assert_close(
        bank[0], F.normalize(each.mean(0), dim=0), atol=1e-5, rtol=0)
    assert len(teacher.templates) == 85


def test_text_cache_is_hit_by_a_new_teacher(clip_configs, tmp_path):
    names = ['disc', 'square', 'star']
    first = _teacher(clip_configs['vit'], tmp_path)
    bank = first.encode_text(names)
    assert first.text_cache.hits == 0
    assert len(list((tmp_path / 'text_cache').glob('*.pt'))) == 1
    second = _teacher(clip_configs['vit'], tmp_path)
    torch.testing.assert_close(second.encode_text(names), bank)
    assert second.text_cache.hits == 1
    second.encode_text(names, templates='single')
    assert second.text_cache.hits == 1  # other templates: a new entry


def test_a_lower_precision_teacher_does_not_reuse_the_fp32_bank(
        clip_configs, tmp_path):
    names = ['disc', 'square', 'star']
    fp32 = _teacher(clip_configs['vit'], tmp_path)
    fp32.encode_text(names)
    bf16 = _teacher(clip_configs['vit'], tmp_path, precision='bf16')
    bf16.encode_text(names)
    assert bf16.weights_hash('text') == fp32.weights_hash('text')
    assert bf16.text_cache.hits == 0
    assert len(list((tmp_path / 'text_cache').glob('*.pt'))) == 2


def test_teacher_stays_frozen_in_a_training_parent(clip_configs, tmp_path):
    teacher = _teacher(clip_configs['rn'], tmp_path)
    parent = nn.ModuleDict(
        dict(teacher=teacher, student=nn.Conv2d(3, 32, 32, 32)))
    before = {k: v.clone() for k, v in teacher.state_dict().items()}
    optimizer = torch.optim.SGD(
        parent.parameters(), lr=1.0, momentum=0.9, weight_decay=0.1)
    parent.train()
    assert not teacher.training and not teacher.clip.visual.training
    x = torch.randn(2, 3, 64, 64)
    for _ in range(2):
        target = teacher.dense_features(x)
        loss = (parent['student'](x) - target).abs().mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    assert all(not p.requires_grad for p in teacher.parameters())
    for key, value in teacher.state_dict().items():
        assert torch.equal(value, before[key]), key


def test_dense_logits_are_cosines_and_keys_come_from_the_same_forward(
        clip_configs, tmp_path):
    teacher = _teacher(clip_configs['vit'], tmp_path)
    x = torch.randn(1, 3, 32, 32)
    text = teacher.encode_text(['disc', 'square', 'star'])
    logits = teacher.dense_logits(x, text)
    feats, keys = teacher.dense_features_and_keys(x)
    cosine = torch.einsum('nchw,kc->nkhw', feats, text)
    torch.testing.assert_close(logits, cosine)
    torch.testing.assert_close(teacher.dense_features(x), feats)
    assert keys.shape[0] == 1 and keys.shape[-2:] == feats.shape[-2:]


def test_bad_inputs_are_clear_errors(clip_configs, tmp_path):
    teacher = _teacher(clip_configs['vit'], tmp_path)
    with pytest.raises(
            ValueError, match='not divisible by the teacher '
            'stride 8'):
        teacher.dense_features(torch.randn(1, 3, 30, 32))
    with pytest.raises(ValueError, match='vocabulary is empty'):
        teacher.encode_text([])
    with pytest.raises(ValueError, match=r"duplicate class names \['Cat'\]"):
        teacher.encode_text(['cat', 'Cat'])
    with pytest.raises(ValueError, match='do not match the teacher dim'):
        teacher.dense_logits(torch.randn(1, 3, 32, 32), torch.randn(2, 16))
    with pytest.raises(ValueError, match='unknown template set'):
        teacher.encode_text(['cat'], templates='fancy')
    with pytest.raises(ValueError, match='unknown open_clip architecture'):
        CLIPTeacher('ViT-Nope-1')


def test_every_builtin_template_set_is_usable():
    from vlkd_seg.models.teachers import TEMPLATES
    assert {
        k: len(v)
        for k, v in TEMPLATES.items()
    } == dict(
        maskclip=85, vild=14, single=1)
    for templates in TEMPLATES.values():
        assert all(t.count('{}') == 1 for t in templates)
    assert open_clip.OPENAI_IMAGENET_TEMPLATES[0]('x') in \
        [t.format('x') for t in TEMPLATES['maskclip']]
