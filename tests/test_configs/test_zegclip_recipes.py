"""The ZegCLIP reference recipes: the release's settings, a build with
tiny stand-ins, and two iterations of the inductive and the transductive
run (which starts from the inductive checkpoint) through the tools."""
import glob
import os.path as osp

import pytest
import torch
from mmengine.registry import init_default_scope
from mmseg.registry import MODELS

from vlkd_seg.utils import load_class_names, load_config
from ..conftest import REPO, load_tool, make_fake_dataset, tiny_recipe_model
from ._tiny_recipes import tiny_zegclip_options

ROOT = osp.join(REPO, 'configs', 'zegclip')
RECIPES = sorted(glob.glob(osp.join(ROOT, '*.py')))
VOC = 'zegclip_vit-b16_512x512_20k_voc12aug-20'
VOC_ST = 'zegclip-st_vit-b16_512x512_10k_voc12aug-20'
COCO_UNSEEN = [
    19, 23, 28, 29, 36, 51, 76, 88, 94, 112, 133, 136, 137, 157, 160
]
# recipe -> (prompt tokens, iterations, seen-score offset, self-training,
#            unseen classes, load_from)
RELEASE = {
    VOC: (10, 20000, 0.1, None, [15, 16, 17, 18, 19], None),
    VOC_ST: (10, 10000, 0., 0, [15, 16, 17, 18, 19], VOC + '/iter_10000'),
    'zegclip_vit-b16_512x512_80k_coco-stuff164k':
    (100, 80000, 0.1, None, COCO_UNSEEN, None),
    'zegclip-st_vit-b16_512x512_40k_coco-stuff164k':
    (100, 40000, 0., 0, COCO_UNSEEN,
     'zegclip_vit-b16_512x512_80k_coco-stuff164k/iter_40000'),
}


def _name(path):
    return osp.splitext(osp.basename(path))[0]


@pytest.mark.parametrize('name', sorted(RELEASE))
def test_recipe_has_the_release_settings(name):
    tokens, iters, offset, start, unseen, load_from = RELEASE[name]
    cfg = load_config(osp.join(ROOT, name + '.py'))
    model = cfg.model
    assert model.image_encoder.model_name == 'ViT-B-16'
    assert model.image_encoder.num_tokens == tokens
    assert model.image_encoder.get('prompt_layers') is None  # every block
    head = model.decode_head
    assert (head.num_layers, head.num_heads, head.in_channels) == (3, 8, 512)
    assert [(loss.type, loss.loss_weight)
            for loss in head.loss_decode] == [('MaskFocalLoss', 100.),
                                              ('MaskDiceLoss', 1.)]
    assert model.seen_score_offset == offset
    assert model.get('self_training_start') == start
    assert model.unseen_idx == unseen
    assert cfg.train_cfg.max_iters == iters
    assert cfg.param_scheduler[-1].end == iters
    assert (cfg.param_scheduler[0].type,
            cfg.param_scheduler[0].end) == ('LinearLR', 1500)
    optimizer = cfg.optim_wrapper.optimizer
    assert (optimizer.type, optimizer.lr,
            optimizer.weight_decay) == ('AdamW', 2e-4, 0.01)
    assert cfg.train_dataloader.batch_size == 4
    assert model.test_cfg == dict(
        mode='slide', crop_size=(512, 512), stride=(426, 426))
    assert (cfg.get('load_from')
            or '').startswith(f'work_dirs/{load_from}' if load_from else '')


@pytest.mark.parametrize('path', RECIPES, ids=_name)
def test_recipe_builds_with_tiny_stand_ins(path, clip_configs):
    init_default_scope('mmseg')
    cfg = load_config(path)
    model = MODELS.build(tiny_recipe_model(cfg.model, clip_configs))
    assert model.num_classes == len(load_class_names(cfg.model.class_names))
    assert len(
        model.trained_names) == model.num_classes - len(cfg.model.unseen_idx)


def test_inductive_then_transductive_through_the_tools(clip_configs, tmp_path):
    root, work = tmp_path / 'data', tmp_path / 'work'
    cfg = load_config(osp.join(ROOT, VOC + '.py'))
    for loader in ('train_dataloader', 'val_dataloader'):
        make_fake_dataset(root, cfg[loader].dataset, 20)
    opts = tiny_zegclip_options(cfg, clip_configs, root)
    load_tool('train').main([
        osp.join(ROOT, VOC + '.py'), '--work-dir',
        str(work / 'inductive'), '--cfg-options', *opts
    ])
    inductive = osp.join(work, 'inductive', 'iter_2.pth')
    load_tool('train').main([
        osp.join(ROOT, VOC_ST + '.py'), '--work-dir',
        str(work / 'st'), '--cfg-options', *opts, f'load_from={inductive}'
    ])
    # the self-training run started from the inductive weights
    first = torch.load(inductive, weights_only=True)['state_dict']
    second = torch.load(
        osp.join(work, 'st', 'iter_2.pth'), weights_only=True)['state_dict']
    assert set(first) == set(second)
    assert not any(k.startswith('text_encoder.') for k in first)
    metrics = load_tool('test').main([
        osp.join(ROOT, VOC_ST + '.py'),
        osp.join(work, 'st', 'iter_2.pth'), '--work-dir',
        str(work / 'st'), '--cfg-options', *opts
    ])
    assert {'mIoU_seen', 'mIoU_unseen', 'hIoU'} <= set(metrics)
