"""The SSIW reference recipe: its unified classes are the union of the
three datasets' with exactly the given synonyms merged, SSIW's scoring and
unknown threshold; a user's recipe inheriting it trains two iterations and
tests through the tools on stand-in data."""
import os.path as osp

from mmengine.config import Config

from vlkd_seg.datasets import unify_label_spaces
from vlkd_seg.utils import load_class_names, load_config
from ..conftest import REPO, load_tool, make_fake_dataset, tiny_recipe_model

NAME = ('ssiw_vit-b16_deeplabv3plus-r50_512x512_80k_'
        'ade20k-coco-stuff164k-context59')
RECIPE = osp.join(REPO, 'configs', 'ssiw', NAME + '.py')


def test_the_packaged_unified_classes_are_the_merge_of_the_three():
    cfg = load_config(RECIPE)
    unified = cfg.train_dataloader.dataset
    spaces = unify_label_spaces(
        {e.name: load_class_names(e.classes)
         for e in unified.datasets}, unified.synonyms)
    assert load_class_names(cfg.model.class_names) == spaces.classes
    assert len(spaces.classes) == 253
    assert [e.silent for e in unified.datasets] == [[255]] * 3
    assert cfg.val_evaluator.prediction_classes == cfg.model.class_names


def test_scoring_and_test_are_ssiws():
    cfg = load_config(RECIPE)
    assert cfg.model.type == 'MultiDatasetDistiller'
    assert cfg.model.student.classifier == dict(
        temperature=0.01, learnable_temperature=False)  # 100 * cosine
    assert cfg.model.student.test_cfg.unknown_thresh == 0.5


def _dataset(kind, root, **kwargs):
    pipeline = [
        dict(type='LoadImageFromFile'),
        dict(
            type='LoadAnnotations',
            reduce_zero_label=kind != 'COCOStuffDataset'),
        dict(type='RandomCrop', crop_size=(64, 64)),
        dict(type='PackSegInputs')
    ]
    return dict(type=kind, data_root=str(root), pipeline=pipeline, **kwargs)


def test_a_users_recipe_inheriting_it_trains_and_tests(clip_configs, tmp_path):
    cfg = load_config(RECIPE)
    tiny = tiny_recipe_model(cfg.model, clip_configs)
    tiny.data_preprocessor.size = (64, 64)
    parts = []
    for entry, count in zip(cfg.train_dataloader.dataset.datasets,
                            (150, 171, 59)):
        root = tmp_path / entry.name
        kwargs = dict(data_prefix=entry.dataset.data_prefix)
        if 'ann_file' in entry.dataset:
            kwargs['ann_file'] = entry.dataset.ann_file
        dataset = _dataset(entry.dataset.type, root, **kwargs)
        make_fake_dataset(root, dataset, count)
        parts.append(dict(entry, dataset=dataset))
    val = _dataset(
        'ADE20KDataset',
        tmp_path / 'ade20k',
        data_prefix=cfg.train_dataloader.dataset.datasets[0].dataset.
        data_prefix)
    val['pipeline'] = [p for p in val['pipeline'] if 'crop_size' not in p]
    loader = dict(batch_size=2, num_workers=0, persistent_workers=False)
    body = Config(
        dict(
            model=dict(_delete_=True, **tiny.to_dict()),
            train_dataloader=dict(dataset=dict(datasets=parts), **loader),
            val_dataloader=dict(dataset=dict(_delete_=True, **val), **loader),
            test_dataloader=dict(dataset=dict(_delete_=True, **val), **loader),
            train_cfg=dict(max_iters=2, val_interval=2),
            param_scheduler=[
                dict(type='PolyLR', begin=0, end=2, by_epoch=False)
            ],
            default_hooks=dict(checkpoint=dict(interval=2))))
    recipe = tmp_path / 'my_ssiw.py'
    recipe.write_text(f'_base_ = [{RECIPE!r}]\n' + body.pretty_text)
    work = str(tmp_path / 'work')
    load_tool('train').main([str(recipe), '--work-dir', work])
    metrics = load_tool('test').main(
        [str(recipe),
         osp.join(work, 'iter_2.pth'), '--work-dir', work])
    assert 0 <= metrics['mIoU'] <= 100
    table = Config.fromfile(osp.join(work, 'label_spaces.json'))
    assert len(table.classes) == 253
