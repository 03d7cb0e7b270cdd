import glob
import json
import os
import os.path as osp

import numpy as np
import pytest
from mmengine.dataset import Compose
from mmengine.registry import METRICS, init_default_scope
from mmpretrain.registry import DATASETS, MODELS
from PIL import Image

from vlkd_seg.classification import ClassSplitDataset, load_class_split
from vlkd_seg.classification.class_split import check_dataset_classes
from vlkd_seg.utils import load_config
from ..conftest import REPO, load_tool, point_at
from ..test_classification.authors_files import write_authors_folder

RECIPES = sorted(glob.glob(osp.join(REPO, 'configs', 'vlkd_cls', '*.py')))


def test_every_paper_dataset_has_a_recipe():
    names = {osp.basename(p) for p in RECIPES}
    for data in ('cub', 'stanford-cars', 'flowers102', 'food101', 'sun397',
                 'tiered-imagenet'):
        assert f'vlkd-cls_r18_vit-l14_li2023-{data}.py' in names
        assert f'vlkd-cls_r18_vit-b16_{data}.py' in names


@pytest.mark.parametrize('path', RECIPES, ids=osp.basename)
def test_recipe_builds_with_a_tiny_teacher(path, clip_configs, tmp_path):
    init_default_scope('mmpretrain')
    cfg = load_config(path)
    authors = cfg.train_dataloader.dataset.get('part') is not None
    if authors:
        # the user points the recipe at their folder of the authors' lists
        folder = write_authors_folder(tmp_path / 'li2023')
        point_at(cfg, data_root=folder, class_split=folder)
    cfg.model.teacher.update(
        model_name=clip_configs['rn'], checkpoint=None, text_cache_dir='')
    model = MODELS.build(cfg.model)
    split = load_class_split(cfg.model.class_split)
    assert model.text.shape == (len(split.names), 32)
    # the paper's full method, k = 256 (clamped to the classes)
    assert [loss.loss_name for loss in model.losses] == [
        'clip_classification_loss', 'feature_mse_loss',
        'image_contrastive_loss', 'vl_proximal_loss'
    ] and model.losses[3].kwargs['k'] == 256
    # SGD, batch 128, the last 5 validations averaged, no selection
    assert cfg.optim_wrapper.optimizer.type == 'SGD'
    assert cfg.train_dataloader.batch_size == 128
    assert 'save_best' not in cfg.default_hooks.checkpoint
    epochs = cfg.train_cfg.max_epochs
    assert (epochs, cfg.train_cfg.val_interval) in ((450, 5), (90, 1))
    assert cfg.param_scheduler[0].milestones == [epochs // 3, 2 * epochs // 3]
    # one class split for the model, the metric and the datasets
    assert cfg.model.class_split == cfg.test_evaluator.class_split
    for loader, subset in (('train_dataloader', 'id'), ('test_dataloader',
                                                        'all')):
        wrapper = cfg[loader].dataset
        assert (wrapper.type, wrapper.subset) == ('ClassSplitDataset', subset)
        assert wrapper.class_split == cfg.model.class_split
        if authors:
            assert wrapper.part == ('train' if subset == 'id' else 'test')
            continue
        dataset_cls = DATASETS.get(wrapper.dataset.type)
        check_dataset_classes(split, dataset_cls.METAINFO.get('classes') or ())
    METRICS.build(cfg.test_evaluator)
    hooks = [h.type for h in cfg.custom_hooks]
    assert 'TeacherFeatureHook' in hooks and 'LastEvaluationsHook' in hooks
    teacher = 'ViT-L-14' if 'vit-l14' in path else 'ViT-B-16'
    assert load_config(path).model.teacher.model_name == teacher


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
    cfg = point_at(
        load_config(
            osp.join(REPO, 'configs', '_base_', 'datasets',
                     'cls_tiered-imagenet.py')),
        data_root=out)
    for loader, count in (('train_dataloader', 351), ('test_dataloader', 448)):
        wrapper = dict(cfg[loader].dataset)
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


def test_world_recipe_trains_and_reports_the_three_numbers(
        tmp_path, monkeypatch):
    from vlkd_seg.datasets import generate_world_objects
    objects = generate_world_objects(
        str(tmp_path / 'objects'), dict(train=48, test=120), progress=None)
    monkeypatch.setenv('VLKD_CACHE', str(tmp_path / 'cache'))
    tool = load_tool('world_classification')
    metrics = tool.run_recipe(
        'vlkd-cls_r18-tiny_synthetic-world.py',
        str(tmp_path / 'work'),
        iters=3,
        data_root=objects,
        teacher=None,
        seed=1,
        shot_iters=2)
    for key in tool.METRICS:
        assert np.isfinite(metrics[key]), key
    assert 0 <= metrics['ood_acc'] <= 100
    assert 0 <= metrics['ood_acc_5shot'] <= 100
    # ID / OOD accuracy: the mean of the run's 3 validations
    with open(tmp_path / 'work' / 'last_evaluations.json') as f:
        history = json.load(f)['history']
    assert len(history) == 3 and metrics['ood_acc'] == pytest.approx(
        np.mean([h['vlkd/ood_acc'] for h in history]))
    # teacher features once per distinct image set: X_train (also the set
    # of the train-space metrics), the test images, and the 5-shot stage's
    # training and test sets
    assert len(os.listdir(tmp_path / 'cache' / 'teacher_features')) == 4
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
        'train_cfg.max_epochs=2', 'train_cfg.val_interval=1',
        'param_scheduler.0.milestones=[1]',
        'default_hooks.checkpoint.interval=2', 'custom_hooks.1.num_workers=0'
    ]
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        opts += [
            f'{loader}.batch_size=2', f'{loader}.num_workers=0',
            f'{loader}.persistent_workers=False',
            f'{loader}.dataset.dataset.data_root={root}'
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
    assert {'vlkd/id_acc', 'vlkd/ood_acc', 'vlkd/ood_M_rel'} <= set(metrics)
    # ID test images are of 2 classes, OOD of 2: accuracies are 0, 50, 100
    assert metrics['vlkd/ood_acc'] in (0.0, 50.0, 100.0)
    # both validations of the run, averaged
    with open(osp.join(work, 'last_evaluations.json')) as f:
        written = json.load(f)
    assert len(written['history']) == 2
    assert written['mean']['vlkd/ood_acc'] == pytest.approx(
        sum(h['vlkd/ood_acc'] for h in written['history']) / 2)


def test_li2023_test_view_is_the_authors_pil_squash_and_crop(tmp_path):
    """The authors' X_id / X_ood view: torchvision Resize([256, 256]) of a
    PIL image (PIL bilinear), then CenterCrop(224)."""
    rng = np.random.default_rng(0)
    path = str(tmp_path / 'a.png')
    Image.fromarray(rng.integers(0, 255, (300, 411, 3), np.uint8)).save(path)
    cfg = load_config(
        osp.join(REPO, 'configs', '_base_', 'datasets', 'cls_li2023.py'))
    init_default_scope('mmpretrain')
    pipeline = Compose(cfg.test_pipeline[:-1])
    ours = pipeline(dict(img_path=path))['img'][..., ::-1]  # BGR -> RGB
    squashed = np.asarray(
        Image.open(path).convert('RGB').resize((256, 256), Image.BILINEAR))
    np.testing.assert_array_equal(ours, squashed[16:240, 16:240])
