"""Phrase and image prompts through vlkd_seg.apis and tools/infer.py on a
CLIPSeg in the published (transformers) layout."""
import json

import mmcv
import numpy as np
import pytest
import torch
from mmengine.config import Config

from vlkd_seg.apis import init_segmenter, segment, segment_prompts
from vlkd_seg.utils import ConfigError
from ..conftest import load_tool
from ..test_models.test_clipseg._helpers import save_tiny_clipseg


@pytest.fixture
def clipseg_recipe(tmp_path):
    """A CLIPSeg recipe on a tiny published-layout folder (no checkpoint)
    and two 40x48 images with a mask for the first."""
    save_tiny_clipseg(tmp_path / 'clipseg')
    config = tmp_path / 'clipseg_tiny.py'
    Config(
        dict(
            model=dict(
                type='CLIPSeg',
                weights=str(tmp_path / 'clipseg'),
                class_names=['disc', 'ring'],
                data_preprocessor=dict(
                    type='SegDataPreProcessor',
                    mean=[123.675, 116.28, 103.53],
                    std=[58.395, 57.12, 57.375],
                    bgr_to_rgb=True,
                    size_divisor=8)),
            test_dataloader=dict(
                dataset=dict(pipeline=[
                    dict(type='LoadImageFromFile'),
                    dict(type='Resize', scale=(32, 32), keep_ratio=False),
                    dict(type='PackSegInputs')
                ])))).dump(str(config))
    rng = np.random.default_rng(0)
    images = []
    for i in range(2):
        images.append(str(tmp_path / f'img{i}.png'))
        mmcv.imwrite(
            rng.integers(0, 255, (40, 48, 3), dtype=np.uint8), images[-1])
    mask = np.zeros((40, 48), np.uint8)
    mask[10:30, 12:36] = 255
    mmcv.imwrite(mask, str(tmp_path / 'mask.png'))
    return str(config), images, str(tmp_path / 'mask.png')


def test_each_prompt_gets_its_own_mask_at_the_images_size(clipseg_recipe):
    config, images, mask = clipseg_recipe
    model = init_segmenter(config)
    results = segment_prompts(model, images, ['a red ring', 'disc'],
                              [(images[0], mask)])
    assert [r['img_path'] for r in results] == images
    first = results[0]
    assert first['prompts'] == ['a red ring', 'disc', 'image: img0.png']
    assert first['masks'].shape == (3, 40, 48)
    assert 0 <= first['masks'].min() and first['masks'].max() <= 1
    # a prompt's mask does not depend on the prompts asked beside it
    (alone, ) = segment_prompts(model, images[0], ['disc'])
    assert torch.allclose(alone['masks'][0], first['masks'][1], atol=1e-6)
    # the semantic mode of the same model: one label per pixel
    (sample, ) = segment(model, images[0])
    assert sample.pred_sem_seg.data.shape == (1, 40, 48)


def test_a_vocabulary_model_is_told_prompts_need_clipseg():
    model = torch.nn.Module()
    with pytest.raises(ConfigError, match='CLIPSeg config'):
        segment_prompts(model, [], ['disc'])


def test_infer_writes_a_mask_per_prompt(clipseg_recipe, tmp_path):
    config, images, mask = clipseg_recipe
    out = tmp_path / 'out'
    load_tool('infer').main([
        config, images[0], '--prompt', 'a red ring', '--prompt-image',
        images[1], '--prompt-mask', mask, '--out',
        str(out)
    ])
    saved = json.loads((out / 'img0.json').read_text())
    assert [p['prompt']
            for p in saved['prompts']] == ['a red ring', 'image: img1.png']
    for i in range(2):
        assert mmcv.imread(
            str(out / f'img0_prompt{i}.png'),
            flag='grayscale').shape == (40, 48)


@pytest.mark.parametrize('extra, message', [
    (['--prompt', ' '], 'non-empty phrases'),
    (['--prompt-image', 'IMG'], '1 --prompt-image for 0 --prompt-mask'),
    (['--prompt-image', 'IMG', '--prompt-mask', 'SMALL'
      ], 'is 24x20 but its image img1.png is 48x40'),
    (['--prompt', 'disc', '--vocabulary', 'disc,ring'], 'one of them'),
])
def test_bad_prompts_are_one_error_line(clipseg_recipe, tmp_path, capsys,
                                        extra, message):
    config, images, mask = clipseg_recipe
    small = str(tmp_path / 'small.png')
    mmcv.imwrite(np.full((20, 24), 255, np.uint8), small)
    extra = [{'IMG': images[1], 'SMALL': small}.get(a, a) for a in extra]
    with pytest.raises(SystemExit) as exit_info:
        load_tool('infer').main(
            [config, images[0], '--out',
             str(tmp_path / 'out')] + extra)
    err = capsys.readouterr().err + str(exit_info.value.code)
    assert message in err and 'Traceback' not in err
