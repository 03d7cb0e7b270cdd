"""The FreeSeg reference recipes: the release's settings, a build with tiny
stand-ins, and two iterations of training and a test of the VOC recipe,
shrunk in a recipe file of its own, through the tools."""
import glob
import os.path as osp

import pytest
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmseg.registry import MODELS

from vlkd_seg.utils import load_class_names, load_config
from ..conftest import REPO, load_tool, make_fake_dataset, tiny_recipe_model

ROOT = osp.join(REPO, 'configs', 'freeseg')
RECIPES = sorted(glob.glob(osp.join(ROOT, '*.py')))
VOC = 'freeseg_r101c_512x512_20k_voc12aug-20'
COCO = 'freeseg_r101c_640x640_60k_coco-stuff164k'
COCO_UNSEEN = [
    19, 23, 28, 29, 36, 51, 76, 88, 94, 112, 133, 136, 137, 157, 160
]
# recipe -> (unseen, iterations, lr = weight decay, crop, test short side)
RELEASE = {
    VOC: ([15, 16, 17, 18, 19], 20000, 2e-5, 512, 512),
    COCO: (COCO_UNSEEN, 60000, 1.5e-4, 640, 640),
}


@pytest.mark.parametrize('name', sorted(RELEASE))
def test_recipe_has_the_release_settings(name):
    unseen, iters, lr, crop, short = RELEASE[name]
    cfg = load_config(osp.join(ROOT, name + '.py'))
    model = cfg.model
    assert (model.backbone.type, model.backbone.depth) == ('ResNetV1c', 101)
    assert model.text_encoder.model_name == 'ViT-B-16'
    assert model.unseen_idx == unseen
    head = model.decode_head
    assert (head.num_queries, head.feat_channels,
            head.transformer_decoder.num_layers,
            head.pixel_decoder.encoder.num_layers) == (100, 256, 10, 6)
    assert (head.class_embed_hidden, head.logit_scale,
            head.no_object_weight) == (1024, 100., 0.1)
    assert [(loss.type, loss.loss_weight)
            for loss in (head.loss_cls, head.loss_mask, head.loss_dice)] == [
                ('mmdet.CrossEntropyLoss', 1.0), ('mmdet.FocalLoss', 20.0),
                ('mmdet.DiceLoss', 5.0)
            ]
    assert [c.weight for c in head.train_cfg.assigner.match_costs
            ] == [1.0, 20.0, 5.0]
    assert (model.region_classifier.mode, model.region_classifier.mask_thresh,
            model.ensemble_weight) == ('crop', 0.5, 0.8)
    optim = cfg.optim_wrapper
    assert (optim.optimizer.type, optim.optimizer.lr,
            optim.optimizer.weight_decay) == ('AdamW', lr, lr)
    assert optim.paramwise_cfg.custom_keys.backbone.lr_mult == 0.1
    assert optim.clip_grad.max_norm == 0.01
    assert cfg.train_cfg.max_iters == cfg.param_scheduler[0].end == iters
    assert cfg.train_dataloader.batch_size * 8 == 32
    assert cfg.model.data_preprocessor.size == (crop, crop)
    assert cfg.test_dataloader.dataset.pipeline[1] == dict(
        type='ResizeShortestEdge', scale=short, max_size=short * 4)


@pytest.mark.parametrize('path', RECIPES, ids=osp.basename)
def test_recipe_builds_with_tiny_stand_ins(path, clip_configs):
    init_default_scope('mmseg')
    cfg = load_config(path)
    model = MODELS.build(tiny_recipe_model(cfg.model, clip_configs))
    names = load_class_names(cfg.model.class_names)
    assert model.num_classes == len(names)
    assert model.decode_head.num_classes == len(names) - len(
        cfg.model.unseen_idx)


def test_a_recipe_inheriting_voc_trains_and_tests_through_the_tools(
        clip_configs, tmp_path):
    """A user's recipe (outside configs/) that inherits the VOC one."""
    root, work = tmp_path / 'data', tmp_path / 'work'
    cfg = load_config(osp.join(ROOT, VOC + '.py'))
    for loader in ('train_dataloader', 'val_dataloader'):
        make_fake_dataset(root, cfg[loader].dataset, 20)
    tiny = tiny_recipe_model(cfg.model, clip_configs)
    tiny.data_preprocessor.size = (64, 64)
    recipe = tmp_path / 'my_freeseg.py'
    body = Config(dict(model=dict(_delete_=True, **tiny.to_dict())))
    recipe.write_text(f'_base_ = [{osp.join(ROOT, VOC + ".py")!r}]\n' +
                      body.pretty_text)
    opts = [
        'train_cfg.max_iters=2', 'train_cfg.val_interval=2',
        'default_hooks.checkpoint.interval=2', 'param_scheduler.0.end=2',
        'train_dataloader.dataset.pipeline.2.scales=[64]',
        'train_dataloader.dataset.pipeline.3.crop_size=(64,64)',
        'test_dataloader.dataset.pipeline.1.scale=64'
    ]
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        opts += [
            f'{loader}.dataset.data_root={root}', f'{loader}.batch_size=2',
            f'{loader}.num_workers=0', f'{loader}.persistent_workers=False'
        ]
    load_tool('train').main(
        [str(recipe), '--work-dir',
         str(work), '--cfg-options', *opts])
    metrics = load_tool('test').main([
        str(recipe),
        str(work / 'iter_2.pth'), '--work-dir',
        str(work), '--cfg-options', *opts
    ])
    assert {'mIoU_seen', 'mIoU_unseen', 'hIoU'} <= set(metrics)
