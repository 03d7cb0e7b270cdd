"""The FreeSeg reference recipes, both stages: the release's settings, a
build with tiny stand-ins, and two iterations of training and a test of
the VOC stages, shrunk in recipe files of their own, through the tools."""
import glob
import os.path as osp

import pytest
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmseg.registry import MODELS

from vlkd_seg.utils import load_class_names, load_config
from ..conftest import REPO, load_tool, make_fake_dataset, tiny_recipe_model

ROOT = osp.join(REPO, 'configs', 'freeseg')
RECIPES = sorted(glob.glob(osp.join(ROOT, 'freeseg_*.py')))
STAGE1_RECIPES = sorted(glob.glob(osp.join(ROOT, 'freeseg-prompts_*.py')))
VOC = 'freeseg_r101c_512x512_20k_voc12aug-20'
COCO = 'freeseg_r101c_640x640_60k_coco-stuff164k'
# stage 2 -> its stage 1 (the prompts), iterations
STAGE1 = {
    VOC: ('freeseg-prompts_vit-b16_3200_voc12aug-20', 3200),
    COCO: ('freeseg-prompts_vit-b16_16k_coco-stuff164k', 16000),
}
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
            for loss in (head.loss_cls, head.loss_mask, head.loss_dice)
            ] == [('mmdet.CrossEntropyLoss', 1.0), ('mmdet.FocalLoss', 20.0),
                  ('mmdet.DiceLoss', 5.0)]
    assert [c.weight
            for c in head.train_cfg.assigner.match_costs] == [1.0, 20.0, 5.0]
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


@pytest.mark.parametrize('name', sorted(STAGE1))
def test_stage1_has_the_release_settings_and_feeds_stage2(name):
    stage1, iters = STAGE1[name]
    cfg = load_config(osp.join(ROOT, stage1 + '.py'))
    stage2 = load_config(osp.join(ROOT, name + '.py'))
    model = cfg.model
    assert (model.type, model.teacher.model_name) == ('PromptLearner',
                                                      'ViT-B-16')
    assert model.unseen_idx == stage2.model.unseen_idx
    assert model.prompts == dict(
        type='LearnedPrompts',
        n_ctx=16,
        task='semantic segmentation.',
        n_task_ctx=8)
    assert (model.region_classifier.mode, model.logit_scale) == ('crop', 100)
    optim = cfg.optim_wrapper.optimizer
    assert (optim.type, optim.lr, optim.momentum,
            optim.weight_decay) == ('SGD', 0.02, 0.9, 1e-3)
    warm, cosine = cfg.param_scheduler
    assert (warm.type, warm.factor, warm.end) == ('ConstantLR', 0.005, 100)
    assert (cosine.type, cosine.end) == ('CosineAnnealingLR', iters)
    assert cfg.train_cfg.max_iters == iters
    assert cfg.train_dataloader.batch_size * 8 == 32
    # stage 2 loads the last checkpoint of stage 1's default work dir
    wanted = dict(
        model.prompts, checkpoint=f'work_dirs/{stage1}/iter_{iters}'
        '.pth')
    assert {k: stage2.model.prompts.get(k) for k in wanted} == wanted


@pytest.mark.parametrize('path', STAGE1_RECIPES, ids=osp.basename)
def test_stage1_builds_with_tiny_stand_ins(path, clip_configs):
    init_default_scope('mmseg')
    cfg = load_config(path)
    model = MODELS.build(tiny_recipe_model(cfg.model, clip_configs))
    assert model.num_classes == len(load_class_names(cfg.model.class_names))
    assert model.unseen_idx == cfg.model.unseen_idx


@pytest.mark.parametrize('path', RECIPES, ids=osp.basename)
def test_recipe_builds_with_tiny_stand_ins(path, clip_configs):
    init_default_scope('mmseg')
    cfg = load_config(path)
    model = MODELS.build(tiny_recipe_model(cfg.model, clip_configs))
    names = load_class_names(cfg.model.class_names)
    assert model.num_classes == len(names)
    assert model.decode_head.num_classes == len(names) - len(
        cfg.model.unseen_idx)


def _user_recipe(tmp_path, name, clip_configs):
    """A user's recipe (outside configs/) inheriting ``name`` with the
    tiny model."""
    cfg = load_config(osp.join(ROOT, name + '.py'))
    tiny = tiny_recipe_model(cfg.model, clip_configs)
    tiny.data_preprocessor.size = (64, 64)
    recipe = tmp_path / f'my_{name}.py'
    body = Config(dict(model=dict(_delete_=True, **tiny.to_dict())))
    recipe.write_text(f'_base_ = [{osp.join(ROOT, name + ".py")!r}]\n' +
                      body.pretty_text)
    return str(recipe), cfg


def _run_options(root, resize, stage1):
    opts = [
        'train_cfg.max_iters=2', 'train_cfg.val_interval=2',
        'default_hooks.checkpoint.interval=2',
        'train_dataloader.dataset.pipeline.3.crop_size=(64,64)',
        'test_dataloader.dataset.pipeline.1.scale=64', resize
    ]
    opts += [
        'param_scheduler.0.end=1', 'param_scheduler.1.begin=1',
        'param_scheduler.1.end=2'
    ] if stage1 else ['param_scheduler.0.end=2']
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        opts += [
            f'{loader}.dataset.data_root={root}', f'{loader}.batch_size=2',
            f'{loader}.num_workers=0', f'{loader}.persistent_workers=False'
        ]
    return opts


def test_user_recipes_inheriting_the_voc_stages_run_through_the_tools(
        clip_configs, tmp_path):
    """Stage 1 learns prompts; stage 2 trains with them and tests."""
    root = tmp_path / 'data'
    stage1, cfg = _user_recipe(tmp_path, STAGE1[VOC][0], clip_configs)
    for loader in ('train_dataloader', 'val_dataloader'):
        make_fake_dataset(root, cfg[loader].dataset, 20)
    train, test = load_tool('train'), load_tool('test')
    opts = _run_options(root, 'train_dataloader.dataset.pipeline.2.scale=64',
                        True)
    train.main(
        [stage1, '--work-dir',
         str(tmp_path / 's1'), '--cfg-options', *opts])
    prompts = tmp_path / 's1' / 'iter_2.pth'
    stage2, _ = _user_recipe(tmp_path, VOC, clip_configs)
    opts = _run_options(root,
                        'train_dataloader.dataset.pipeline.2.scales=[64]',
                        False)
    opts.append(f'model.prompts.checkpoint={prompts}')
    work = str(tmp_path / 's2')
    train.main([stage2, '--work-dir', work, '--cfg-options', *opts])
    metrics = test.main([
        stage2,
        osp.join(work, 'iter_2.pth'), '--work-dir', work, '--cfg-options',
        *opts
    ])
    assert {'mIoU_seen', 'mIoU_unseen', 'hIoU'} <= set(metrics)
