import glob
import os
import os.path as osp

import numpy as np
import pytest
from mmengine.registry import METRICS, init_default_scope
from mmpretrain.registry import DATASETS, MODELS
from PIL import Image

from vlkd_seg.classification import ClassSplitDataset, load_class_split
from vlkd_seg.classification.class_split import check_dataset_classes
from vlkd_seg.utils import load_config
from ..conftest import REPO, load_tool

RECIPES = sorted(glob.glob(osp.join(REPO, 'configs', 'vlkd_cls', '*.py')))


def test_every_paper_dataset_has_a_recipe():
    names = {osp.basename(p) for p in RECIPES}
    for data in ('cub', 'stanford-cars', 'flowers102', 'food101', 'sun397',
                 'tiered-imagenet'):
        assert f'vlkd-cls_r18_vit-b16_{data}.py' in names


@pytest.mark.parametrize('path', RECIPES, ids=osp.basename)
def test_recipe_builds_with_a_tiny_teacher(path, clip_configs):
    init_default_scope('mmpretrain')
    cfg = load_config(path)
    cfg.model.teacher.update(
        model_name=clip_configs['rn'], checkpoint=None, text_cache_dir='')
    model = MODELS.build(cfg.model)
    split = load_class_split(cfg.class_split)
    assert model.text.shape == (len(split.names), 32)
    assert [loss.loss_name for loss in model.losses] == [
        'clip_classification_loss', 'image_contrastive_loss',
        'vl_proximal_loss'
    ]
    for loader, subset in (('train_dataloader', 'id'), ('test_dataloader',
                                                        'all')):
        wrapper = cfg[loader].dataset
        assert (wrapper.type, wrapper.subset) == ('ClassSplitDataset', subset)
        assert wrapper.class_split == cfg.class_split
        dataset_cls = DATASETS.get(wrapper.dataset.type)
        check_dataset_classes(split, dataset_cls.METAINFO.get('classes') or ())
    METRICS.build(cfg.test_evaluator)
    hooks = [h.type for h in cfg.custom_hooks]
    assert 'TeacherFeatureHook' in hooks


def _fake_imagenet(root, wnids):
    rng = np.random.default_rng(0)
    for split in ('train', 'val'):
        for wnid in wnids:
            os.makedirs(osp.join(root, split, wnid))
            img = rng.integers(0, 255, (8, 8, 3), dtype=np.uint8)
            Image.fromarray(img).save(
                osp.join(root, split, wnid, f'{wnid}_0.JPEG'))


def test_tiered_imagenet_folders_follow_the_split_order(tmp_path):
    split = load_class_split('tiered_imagenet')
    _fake_imagenet(tmp_path / 'imagenet', split.keys)
    out = str(tmp_path / 'tiered')
    load_tool('make_tiered_imagenet').main([str(tmp_path / 'imagenet'), out])
    init_default_scope('mmpretrain')
    cfg = load_config(
        osp.join(REPO, 'configs', '_base_', 'datasets',
                 'cls_tiered-imagenet.py'))
    for loader, count in (('train_dataloader', 351), ('test_dataloader', 448)):
        wrapper = dict(cfg[loader].dataset)
        wrapper['dataset'] = dict(wrapper['dataset'], data_root=out)
        dataset = ClassSplitDataset(**{
            k: v
            for k, v in wrapper.items() if k != 'type'
        })
        assert len(dataset) == count
        for idx in (0, count // 2, count - 1):
            info = dataset.get_data_info(idx)
            wnid = osp.basename(osp.dirname(info['img_path']))
            assert split.keys[int(info['gt_label'])] == wnid
    with pytest.raises(SystemExit, match='exists'):
        load_tool('make_tiered_imagenet').main(
            [str(tmp_path / 'imagenet'), out])


def test_world_recipe_trains_and_reports_id_ood_and_alignment(
        tiny_world_objects, tmp_path, monkeypatch):
    monkeypatch.setenv('VLKD_CACHE', str(tmp_path / 'cache'))
    tool = load_tool('world_classification')
    metrics = tool.run_recipe(
        'vlkd-cls_r18-tiny_synthetic-world.py',
        str(tmp_path / 'work'),
        iters=3,
        data_root=tiny_world_objects,
        teacher=None,
        seed=1)
    for key in tool.METRICS:
        assert np.isfinite(metrics[key]), key
    assert 0 <= metrics['ood_acc'] <= 100
    # each split's teacher features were computed once and cached
    assert len(os.listdir(tmp_path / 'cache' / 'teacher_features')) == 2
    import torch
    state = torch.load(
        tmp_path / 'work' / 'iter_3.pth',
        map_location='cpu',
        weights_only=False)['state_dict']
    assert state and not any(k.startswith('teacher.') for k in state)


def _fake_cub(root):
    """Eight 40x48 images: classes 1, 2 (ID) and 150, 151 (OOD), each with
    one training and one test image, in CUB-200-2011's layout."""
    rng = np.random.default_rng(0)
    lines = dict(images=[], image_class_labels=[], train_test_split=[])
    for i, (label, train) in enumerate([(c, t) for c in (1, 2, 150, 151)
                                        for t in (1, 0)], 1):
        name = f'{label:03d}.cls/img_{i}.jpg'
        os.makedirs(osp.join(root, 'images', osp.dirname(name)), exist_ok=True)
        Image.fromarray(rng.integers(0, 255, (40, 48, 3),
                                     dtype=np.uint8)).save(
                                         osp.join(root, 'images', name))
        lines['images'].append(f'{i} {name}')
        lines['image_class_labels'].append(f'{i} {label}')
        lines['train_test_split'].append(f'{i} {train}')
    for stem, rows in lines.items():
        with open(osp.join(root, stem + '.txt'), 'w') as f:
            f.write('\n'.join(rows) + '\n')


def test_cub_recipe_trains_and_tests_through_the_tools(tmp_path, clip_configs,
                                                       monkeypatch):
    monkeypatch.setenv('VLKD_CACHE', str(tmp_path / 'cache'))
    root = str(tmp_path / 'CUB_200_2011')
    _fake_cub(root)
    opts = [
        f'model.teacher.model_name={clip_configs["rn"]}',
        'model.teacher.checkpoint=None', 'model.teacher.text_cache_dir=',
        'train_cfg.max_epochs=2', 'train_cfg.val_interval=2',
        'param_scheduler.0.end=1', 'param_scheduler.1.begin=1',
        'param_scheduler.1.end=2', 'default_hooks.checkpoint.interval=2',
        'custom_hooks.1.num_workers=0'
    ]
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        opts += [
            f'{loader}.dataset.dataset.data_root={root}',
            f'{loader}.batch_size=2', f'{loader}.num_workers=0',
            f'{loader}.persistent_workers=False'
        ]
    config = osp.join(REPO, 'configs', 'vlkd_cls',
                      'vlkd-cls_r18_vit-b16_cub.py')
    work = str(tmp_path / 'work')
    load_tool('train').main(
        [config, '--work-dir', work, '--cfg-options', *opts])
    metrics = load_tool('test').main([
        config,
        osp.join(work, 'epoch_2.pth'), '--work-dir', work, '--cfg-options',
        *opts
    ])
    assert {'vlkd/id_acc', 'vlkd/ood_acc', 'vlkd/M_rel'} <= set(metrics)
    # ID test images are of 2 classes, OOD of 2: accuracies are 0, 50, 100
    assert metrics['vlkd/ood_acc'] in (0.0, 50.0, 100.0)
