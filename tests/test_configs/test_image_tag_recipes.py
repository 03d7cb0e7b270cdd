"""The CLIP-ES style image-tag recipes (VOC-aug 21, COCO-2014 81)."""
import glob
import json
import os.path as osp

import numpy as np
import pytest
from mmengine.registry import init_default_scope
from mmseg.registry import DATASETS, MODELS

from vlkd_seg.datasets import UNLABELED_INDEX
from vlkd_seg.utils import load_class_names, load_config
from ..conftest import REPO, load_tool, make_fake_dataset, tiny_recipe_model
from ._tiny_recipes import tiny_recipe_options

RECIPES = sorted(glob.glob(osp.join(REPO, 'configs', 'kd', 'clip-es_*.py')))
CLIP_ES_CRF = dict(
    iters=10, bi_w=4., bi_xy_std=67., bi_rgb_std=3., pos_w=3., pos_xy_std=1.)


def test_voc_and_coco_have_a_recipe():
    names = [osp.basename(p) for p in RECIPES]
    assert any('voc12aug-21' in n for n in names)
    assert any('coco2014-81' in n for n in names)


@pytest.mark.parametrize('path', RECIPES, ids=osp.basename)
def test_recipe_has_clip_es_settings(path, clip_configs):
    init_default_scope('mmseg')
    cfg = load_config(path)
    coco = 'coco' in path
    names = load_class_names(cfg.model.class_names)
    assert len(names) == (81 if coco else 21) and names[0] == 'background'
    model_cfg = cfg.model
    assert model_cfg.teacher.model_name == 'ViT-B-16'
    assert model_cfg.teacher.templates == ['a clean origami {}.']
    assert (model_cfg.unseen_idx, model_cfg.image_tags,
            model_cfg.background_idx) == ('all', True, 0)
    labeller, = model_cfg.labellers  # the teacher, the whole run
    assert (labeller.type, labeller.start) == ('TeacherLabeller', 0)
    assert len(labeller.background_texts) == (23 if coco else 25)
    affinity, crf = labeller.refiners
    assert affinity == dict(type='AttentionAffinity', layers=8, box_thresh=0.4)
    assert crf.type == 'LocalCRF'
    assert {k: crf[k] for k in CLIP_ES_CRF} == CLIP_ES_CRF
    assert model_cfg.confidence_thresh == 0.95
    pipeline = [t['type'] for t in cfg.train_dataloader.dataset.pipeline]
    assert 'ImageTags' in pipeline
    model = MODELS.build(tiny_recipe_model(model_cfg, clip_configs))
    assert model.self_train_start is None
    assert model.student.num_classes == len(names)


@pytest.mark.parametrize('path', RECIPES, ids=osp.basename)
def test_the_training_set_gives_tags_and_no_pixel(path, tmp_path):
    init_default_scope('mmseg')
    cfg = load_config(path)
    num = len(load_class_names(cfg.class_names))
    dataset_cfg = cfg.train_dataloader.dataset
    make_fake_dataset(tmp_path, dataset_cfg, num)
    dataset = DATASETS.build(
        dict(
            dataset_cfg,
            data_root=str(tmp_path),
            pipeline=[
                t for t in dataset_cfg.pipeline
                if t['type'] not in ('RandomResize', 'RandomCrop',
                                     'PhotoMetricDistortion')
            ]))
    sample = dataset[0]['data_samples']
    assert sample.img_tags == list(range(num))  # the fake masks hold all
    labels = set(np.unique(sample.gt_sem_seg.data.numpy()))
    assert labels <= {UNLABELED_INDEX, 255}


def test_coco_split_files_may_list_class_ids_after_the_name(tmp_path):
    init_default_scope('mmseg')
    cfg = load_config(
        glob.glob(osp.join(REPO, 'configs', 'kd', 'clip-es_*coco*.py'))[0])
    dataset_cfg = cfg.train_dataloader.dataset
    make_fake_dataset(tmp_path, dataset_cfg, 81, names=('c1', 'c2'))
    (tmp_path / dataset_cfg.ann_file).write_text('c1 45 49\nc2 0\n')
    dataset = DATASETS.build(
        dict(dataset_cfg, data_root=str(tmp_path), pipeline=[]))
    assert [osp.basename(dataset[i]['img_path'])
            for i in range(2)] == ['c1.jpg', 'c2.jpg']


def test_two_iterations_train_test_and_pseudo_masks_through_the_tools(
        clip_configs, tmp_path):
    config = [p for p in RECIPES if 'voc' in p][0]
    cfg = load_config(config)
    root = tmp_path / 'data'
    for loader in ('train_dataloader', 'val_dataloader'):
        make_fake_dataset(root, cfg[loader].dataset, 21)
    # the tiny ViT has fewer blocks than CLIP-ES's 8 averaged
    opts = tiny_recipe_options(
        cfg, clip_configs, root) + ['model.labellers.0.refiners.0.layers=1']
    work = str(tmp_path / 'work')
    load_tool('train').main(
        [config, '--work-dir', work, '--cfg-options', *opts])
    metrics = load_tool('test').main([
        config,
        osp.join(work, 'iter_2.pth'), '--work-dir', work, '--cfg-options',
        *opts
    ])
    assert 0 <= metrics['mIoU'] <= 100
    masks = tmp_path / 'masks'
    scores = load_tool('pseudo_masks').main(
        [config, '--out',
         str(masks), '--no-threshold', '--cfg-options'] + opts)
    assert scores['images'] == 2 and scores['ignored'] == 0
    assert sorted(p.name for p in masks.glob('*.png')) == ['a1.png', 'b2.png']
    key = json.loads((masks / 'pseudo_masks.json').read_text())
    assert key['confidence_thresh'] == 0
    assert key['refiners'][1]['iters'] == 10  # the CRF's
