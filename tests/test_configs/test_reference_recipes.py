"""The MaskCLIP+ reference recipes: the release's settings, and a
two-iteration run of each kind on a fake dataset."""
import glob
import os.path as osp

import pytest
from mmengine.registry import init_default_scope
from mmseg.registry import MODELS

from vlkd_seg.utils import load_class_names, load_config
from ..conftest import REPO, load_tool, make_fake_dataset, tiny_recipe_model
from ._tiny_recipes import tiny_recipe_options

ROOT = osp.join(REPO, 'configs', 'maskclip_plus')
RECIPES = sorted(glob.glob(osp.join(ROOT, '*', '*.py')))

# recipe -> (teacher, head, classifier channels, learned background,
#            vocabulary, self-training from, iterations, lr, weight decay)
RELEASE = {
    'zero_shot/maskclip-plus_rn50_deeplabv2-r101_512x512_20k_voc12aug-20':
    ('RN50', 'DeepLabV2Head', 1024, None, 'voc20_maskclip', 2000, 20000, 0.01,
     5e-4),
    'zero_shot/maskclip-plus_rn50_deeplabv2-r101_512x512_80k_coco-stuff164k':
    ('RN50', 'DeepLabV2Head', 1024, None, 'coco_stuff171_maskclip', 8000,
     80000, 0.01, 5e-4),
    'zero_shot/maskclip-plus_rn50_deeplabv3plus-r101_480x480_40k_'
    'pascal-context': ('RN50', 'DepthwiseSeparableASPPHead', 1024, 0,
                       'context60_maskclip', 4000, 40000, 0.004, 1e-4),
    'anno_free/maskclip-plus_rn50_deeplabv2-r101_512x512_2k_voc12aug-20':
    ('RN50', 'DeepLabV2Head', 1024, None, 'voc20_maskclip', None, 2000, 0.01,
     5e-4),
    'anno_free/maskclip-plus_vit-b16_deeplabv2-r101_480x480_4k_'
    'pascal-context-59': ('ViT-B-16', 'DeepLabV2Head', 512, None,
                          'context59_maskclip', None, 4000, 0.01, 5e-4),
    'anno_free/maskclip-plus_vit-b16_deeplabv2-r101_512x512_8k_'
    'coco-stuff164k': ('ViT-B-16', 'DeepLabV2Head', 512, None,
                       'coco_stuff171_maskclip', None, 8000, 0.01, 5e-4),
}


def _name(path):
    return osp.splitext(osp.relpath(path, ROOT))[0]


def test_every_published_row_and_variant_has_a_recipe():
    names = {_name(p) for p in RECIPES}
    assert set(RELEASE) <= names
    for data in ('480x480_4k_pascal-context-59', '512x512_8k_coco-stuff164k'):
        for variant in ('ks', 'pd', 'kspd'):
            assert (f'anno_free/maskclip-plus-{variant}_vit-b16_'
                    f'deeplabv2-r101_{data}') in names


@pytest.mark.parametrize('name', sorted(RELEASE))
def test_recipe_has_the_release_settings(name):
    (arch, head_type, channels, background, vocabulary, self_train, iters, lr,
     decay) = RELEASE[name]
    cfg = load_config(osp.join(ROOT, name + '.py'))
    model = cfg.model
    head = model.student.decode_head
    classifier = model.student.classifier
    assert model.teacher.model_name == arch
    assert model.teacher_normalization == 'student'  # ImageNet statistics
    assert model.student.backbone.depth == 101
    assert classifier.mode == 'dot' and model.student.embed_dim == channels
    assert head.type == head_type
    assert head.channels == channels and head.dropout_ratio == 0
    assert classifier.get('background_idx') == background
    # the release's cls_bg: randn(1, D), std 1
    assert classifier.get('background_std') == (1.0
                                                if background == 0 else None)
    assert model.class_names == vocabulary
    starts = [(m.type, m.start, m.get('ema', 0)) for m in model.labellers]
    assert starts == [
        ('TeacherLabeller', 0, 0)
    ] + ([('StudentLabeller', self_train, 0)] if self_train else [])
    assert cfg.train_cfg.max_iters == iters
    assert cfg.optim_wrapper.optimizer.lr == lr
    assert cfg.optim_wrapper.optimizer.weight_decay == decay
    assert cfg.train_dataloader.batch_size == 4
    assert model.student.test_cfg.mode == 'whole'
    annotation_free = name.startswith('anno_free')
    assert (model.unseen_idx == 'all') == annotation_free
    names = load_class_names(vocabulary)
    assert ('airplane' in names) and 'aeroplane' not in names
    if 'voc12aug' in name:
        dataset = cfg.train_dataloader.dataset
        assert dataset.ann_file.endswith('train.txt')
        assert dataset.extra_ann_files == ['ImageSets/Segmentation/aug.txt']


@pytest.mark.parametrize('path', RECIPES, ids=_name)
def test_recipe_builds_with_tiny_stand_ins(path, clip_configs):
    init_default_scope('mmseg')
    cfg = load_config(path)
    model = MODELS.build(tiny_recipe_model(cfg.model, clip_configs))
    assert model.student.classifier.mode == 'dot'
    refiners = [type(r).__name__ for r in model.labellers[0].refiners]
    # the release smooths with the ViT's keys through its out_proj
    assert all(r.settings['project_keys'] for r in model.labellers[0].refiners
               if 'project_keys' in r.settings)
    variant = osp.basename(path).split('_')[0]
    # the release's order: prompt denoising, then key smoothing
    assert refiners == {
        'maskclip-plus': [],
        'maskclip-plus-ks': ['KeySmoothing'],
        'maskclip-plus-pd': ['PromptDenoising'],
        'maskclip-plus-kspd': ['PromptDenoising', 'KeySmoothing']
    }[variant]


@pytest.mark.parametrize('name', [
    'zero_shot/maskclip-plus_rn50_deeplabv2-r101_512x512_20k_voc12aug-20',
    'zero_shot/maskclip-plus_rn50_deeplabv3plus-r101_480x480_40k_'
    'pascal-context',
    'anno_free/maskclip-plus-kspd_vit-b16_deeplabv2-r101_480x480_4k_'
    'pascal-context-59',
])
def test_two_iterations_train_and_test_through_the_tools(
        name, clip_configs, tmp_path):
    config = osp.join(ROOT, name + '.py')
    cfg = load_config(config)
    root = tmp_path / 'data'
    num_classes = len(load_class_names(cfg.model.class_names))
    for loader in ('train_dataloader', 'val_dataloader'):
        make_fake_dataset(root, cfg[loader].dataset, num_classes)
    opts = tiny_recipe_options(cfg, clip_configs, root)
    work = str(tmp_path / 'work')
    load_tool('train').main(
        [config, '--work-dir', work, '--cfg-options', *opts])
    metrics = load_tool('test').main([
        config,
        osp.join(work, 'iter_2.pth'), '--work-dir', work, '--cfg-options',
        *opts
    ])
    assert {'mIoU_seen', 'mIoU_unseen', 'hIoU'} <= set(metrics)
