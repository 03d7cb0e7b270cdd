import os.path as osp

import pytest

from vlkd_seg.utils import (UserError, check_weight_files,
                            check_zero_shot_setup, load_config)
from ..conftest import REPO


def _cfg(name='maskclip/maskclip_vit-b16_voc12aug-20.py', **teacher):
    cfg = load_config(osp.join(REPO, 'configs', name))
    cfg.model.teacher.update(dict(dict(checkpoint=None), **teacher))
    return cfg


def test_good_config_passes():
    check_zero_shot_setup(_cfg())


def test_class_name_file_of_wrong_length_names_the_file(tmp_path):
    names = tmp_path / 'names.txt'
    names.write_text('cat\ndog\n')
    cfg = _cfg()
    cfg.model.class_names = str(names)
    with pytest.raises(UserError, match=r'names.txt has 2 lines but 20'):
        check_zero_shot_setup(cfg)


def test_unseen_index_out_of_range_is_named():
    cfg = _cfg()
    cfg.test_evaluator.unseen_idx = [3, 20]
    with pytest.raises(
            UserError, match='unseen_idx has index 20, outside '
            'the 20 classes'):
        check_zero_shot_setup(cfg)


def test_overlapping_split_is_refused():
    cfg = _cfg()
    cfg.test_evaluator.seen_idx = [0, 15]
    with pytest.raises(UserError, match=r'classes \[15\] are both'):
        check_zero_shot_setup(cfg)


def test_missing_teacher_checkpoint_says_where_to_get_weights():
    cfg = _cfg(checkpoint='checkpoints/nothing.pt')
    with pytest.raises(
            UserError, match='nothing.pt does not exist.*never '
            'downloaded'):
        check_weight_files(cfg)


def test_student_weights_must_be_local_files():
    cfg = _cfg(
        'kd/maskclip-plus_vit-b16_deeplabv3plus-r50_512x512_80k_ade20k.py')
    with pytest.raises(UserError, match='resnet50_v1c.pth do not exist'):
        check_weight_files(cfg)
    cfg.model.student.backbone.init_cfg.checkpoint = 'open-mmlab://x'
    with pytest.raises(UserError, match='would be downloaded'):
        check_weight_files(cfg)


@pytest.mark.parametrize('name', [
    'demo/maskclip_synthetic-world.py',
    'demo/maskclip_vit-world_synthetic-world.py'
])
def test_the_world_clip_architecture_is_found_from_any_folder(
        name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    model_name = load_config(osp.join(REPO, 'configs', name)).model.teacher \
        .model_name
    assert osp.isabs(model_name) and osp.isfile(model_name)
