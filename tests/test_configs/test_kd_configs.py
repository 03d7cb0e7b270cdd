import glob
import os.path as osp

import pytest
from mmengine.registry import init_default_scope
from mmseg.registry import MODELS

from vlkd_seg.utils import dataset_classes, load_config
from ..conftest import REPO, tiny_recipe_model

# the image-tag (CLIP-ES) recipes: test_image_tag_recipes.py
RECIPES = sorted(
    p for p in glob.glob(osp.join(REPO, 'configs', 'kd', '*.py'))
    if not osp.basename(p).startswith('clip-es'))


def test_every_dataset_has_maskclip_plus_and_lseg_recipes():
    names = {osp.basename(p) for p in RECIPES}
    for data in ('voc12aug', 'context', 'coco-stuff164k', 'ade20k'):
        assert f'maskclip_plus_{data}.py' in names
        assert f'lseg_{data}.py' in names
    assert 'maskclip_plus_annotation-free_context.py' in names


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
