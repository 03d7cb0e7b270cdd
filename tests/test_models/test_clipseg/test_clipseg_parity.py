"""CLIPSeg from the published (transformers) layout: the logits of
transformers' own CLIPSegForImageSegmentation, the image tower once."""
import pytest
import torch

from vlkd_seg.utils.errors import ConfigError, MissingFileError
from ._helpers import build_clipseg, save_tiny_clipseg

PROMPTS = ['a red ring', 'the diamond on the left', 'disc']


@pytest.mark.parametrize('refined', [False, True])
def test_logits_equal_transformers_on_every_image_and_prompt(
        tmp_path, refined):
    # float64: random weights give logits of +-60, where float32 rounding
    # alone differs by 1e-4 between two correct orders of the same sums
    hf = save_tiny_clipseg(tmp_path / 'clipseg', refined).double()
    model = build_clipseg(tmp_path / 'clipseg').double().eval()
    images = torch.randn(
        2, 3, 32, 32, generator=torch.Generator().manual_seed(1)).double()
    # transformers 4.51 builds its causal mask with torch.full in the
    # default dtype, which cannot hold float64's minimum: make it float64
    default = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    try:
        with torch.no_grad():
            ours = model.prompt_logits(images, model.encode_text(PROMPTS))
            theirs = hf(
                input_ids=model.tokenizer(PROMPTS).repeat(2, 1),
                pixel_values=images.repeat_interleave(len(PROMPTS),
                                                      0)).logits
    finally:
        torch.set_default_dtype(default)
    assert ours.shape == (2, 3, *theirs.shape[-2:])
    assert torch.allclose(ours.flatten(0, 1), theirs, atol=1e-5)


def test_the_image_tower_runs_once_per_image(tmp_path, monkeypatch):
    save_tiny_clipseg(tmp_path / 'clipseg')
    model = build_clipseg(tmp_path / 'clipseg').eval()
    calls = []
    conv = model.clip.visual.conv1
    monkeypatch.setattr(
        conv,
        'forward',
        lambda x, f=conv.forward: calls.append(len(x)) or f(x))
    text = model.encode_text(PROMPTS * 7)  # 21 prompts
    logits = model.prompt_logits(torch.randn(2, 3, 32, 32), text)
    assert logits.shape[:2] == (2, 21) and calls == [2]


def test_non_square_images_give_non_square_masks(tmp_path):
    save_tiny_clipseg(tmp_path / 'clipseg')
    model = build_clipseg(tmp_path / 'clipseg').eval()
    logits = model.prompt_logits(
        torch.randn(1, 3, 32, 48), model.encode_text(['disc']))
    assert logits.shape == (1, 1, 32, 48)


def test_a_folder_without_weights_says_where_they_come_from(tmp_path):
    (tmp_path / 'empty').mkdir()
    with pytest.raises(MissingFileError, match='CIDAS/clipseg-rd64-refined'):
        build_clipseg(tmp_path / 'empty')


def test_weights_and_a_clip_of_its_own_are_refused_together(tmp_path):
    save_tiny_clipseg(tmp_path / 'clipseg')
    with pytest.raises(ConfigError, match='not both'):
        build_clipseg(tmp_path / 'clipseg', clip=dict(model_name='ViT-B-16'))


def test_an_empty_prompt_is_refused(tmp_path):
    save_tiny_clipseg(tmp_path / 'clipseg')
    model = build_clipseg(tmp_path / 'clipseg')
    with pytest.raises(ConfigError, match='non-empty phrases'):
        model.encode_text(['disc', ' '])
