import glob
import os.path as osp

import pytest
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmseg.registry import MODELS

from vlkd_seg.utils import dataset_classes, load_config
from ..conftest import REPO, tiny_recipe_model

# the short name the guide gives MaskCLIP+ on ADE20K (one line: its base)
ALIAS = osp.join(REPO, 'configs', 'kd', 'maskclip_plus_ade20k.py')
# the image-tag (CLIP-ES) recipes: test_image_tag_recipes.py
RECIPES = sorted(
    p for p in glob.glob(osp.join(REPO, 'configs', 'kd', '*.py'))
    if not osp.basename(p).startswith('clip-es') and p != ALIAS)
DATASETS = ('512x512_20k_voc12aug-20', '480x480_40k_pascal-context',
            '512x512_80k_coco-stuff164k', '512x512_80k_ade20k')


def test_every_dataset_has_maskclip_plus_and_lseg_recipes():
    names = {osp.basename(p) for p in RECIPES}
    for data in DATASETS:
        assert f'maskclip-plus_vit-b16_deeplabv3plus-r50_{data}.py' in names
        assert f'lseg_vit-b16_r50_{data}.py' in names
    for data in DATASETS[1:3]:
        assert ('maskclip-plus-annotation-free_vit-b16_deeplabv3plus-r50_'
                f'{data}.py') in names


def test_the_short_name_is_the_ade20k_recipe():
    target = osp.join(
        osp.dirname(ALIAS),
        'maskclip-plus_vit-b16_deeplabv3plus-r50_512x512_80k_ade20k.py')
    assert Config.fromfile(ALIAS).to_dict() == Config.fromfile(
        target).to_dict()


@pytest.mark.parametrize('path', RECIPES, ids=osp.basename)
def test_recipe_loads_and_builds_with_a_tiny_teacher(path, clip_configs):
    init_default_scope('mmseg')
    cfg = load_config(path)
    model = MODELS.build(tiny_recipe_model(cfg.model, clip_configs))
    classes = dataset_classes(cfg)
    assert model.student.num_classes == len(classes)
    # the split the model hides is its dataset's (metric: dataset_meta)
    annotation_free = 'annotation-free' in path
    split = cfg.train_dataloader.dataset.metainfo.unseen_idx
    assert model.unseen_idx == ('all' if annotation_free else split)
    if 'lseg' in path:
        assert len(model.labellers) == 0
    else:
        assert model.self_train_start == cfg.train_cfg.max_iters // 10
