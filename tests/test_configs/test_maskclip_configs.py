import glob
import os.path as osp

import pytest
from mmengine.registry import init_default_scope
from mmseg.registry import MODELS

from vlkd_seg.utils import dataset_classes, load_config
from ..conftest import REPO

CONFIGS = sorted(glob.glob(osp.join(REPO, 'configs', 'maskclip', '*.py')))


def test_there_is_a_recipe_per_dataset_and_architecture():
    names = {osp.basename(p) for p in CONFIGS}
    for data in ('voc12aug-20', 'pascal-context', 'pascal-context-59',
                 'coco-stuff164k', 'ade20k'):
        for arch in ('vit-b16', 'rn50'):
            assert f'maskclip_{arch}_{data}.py' in names


@pytest.mark.parametrize('path', CONFIGS, ids=osp.basename)
def test_maskclip_config_builds_with_a_tiny_teacher(path, clip_configs,
                                                    tmp_path):
    init_default_scope('mmseg')
    cfg = load_config(path)
    arch = 'rn' if '_rn50_' in path else 'vit'
    cfg.model.teacher.update(
        model_name=clip_configs[arch],
        checkpoint=None,
        templates='single',
        text_cache_dir='')
    model = MODELS.build(cfg.model)
    assert model.num_classes == len(dataset_classes(cfg))
    assert model.test_cfg['mode'] == 'whole'
    assert cfg.test_evaluator.type == 'ZeroShotIoUMetric'
