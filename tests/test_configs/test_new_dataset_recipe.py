"""The README's recipe for a dataset that is not in configs/ means what it
says through plain ``Config.fromfile``, trains and evaluates seen / unseen
IoU."""
import os
import os.path as osp
import re

from mmengine.config import Config
from mmengine.runner import Runner

from ..conftest import REPO, make_fake_dataset, tiny_recipe_model

HEADER = '# my_recipes/maskclip-plus_my-dataset.py'
CLASSES = ('road', 'sidewalk', 'building', 'car', 'person', 'tree', 'sky')


def _readme_recipe() -> str:
    readme = open(osp.join(REPO, 'README.md'), encoding='utf-8').read()
    found = re.search(re.escape(HEADER) + r'\n(.*?)```', readme, re.S)
    assert found, f'README has no block starting with {HEADER}'
    return HEADER + '\n' + found.group(1)


def _write_recipe(tmp_path) -> str:
    """The README's text in my_recipes/, with configs/ beside it."""
    os.symlink(osp.join(REPO, 'configs'), tmp_path / 'configs')
    (tmp_path / 'my_recipes').mkdir()
    path = tmp_path / 'my_recipes' / 'maskclip-plus_my-dataset.py'
    path.write_text(_readme_recipe())
    return str(path)


def test_the_readme_recipe_is_at_most_fifteen_lines():
    assert len(_readme_recipe().strip().splitlines()) <= 15


def test_every_part_gets_the_classes_and_the_split(tmp_path):
    cfg = Config.fromfile(_write_recipe(tmp_path))
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        dataset = cfg[loader].dataset
        assert dataset.data_root == 'data/my_dataset'
        assert tuple(dataset.metainfo.classes) == CLASSES
        assert dataset.metainfo.unseen_idx == [3, 5]
    assert tuple(cfg.model.class_names) == CLASSES
    assert cfg.model.unseen_idx == [3, 5]
    assert cfg.val_evaluator.type == 'ZeroShotIoUMetric'


def test_the_readme_recipe_trains_and_evaluates(tmp_path, clip_configs):
    data = str(tmp_path / 'my_dataset')
    cfg = Config.fromfile(_write_recipe(tmp_path))
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        cfg[loader].dataset.data_root = data
        cfg[loader].update(num_workers=0, persistent_workers=False)
    for loader in ('train_dataloader', 'val_dataloader'):
        make_fake_dataset(data, cfg[loader].dataset, 7)
    cfg.train_dataloader.batch_size = 2
    cfg.model = tiny_recipe_model(cfg.model, clip_configs)
    cfg.model.data_preprocessor.size = (128, 128)
    for step in cfg.train_dataloader.dataset.pipeline:
        if step.type == 'RandomResize':
            step.scale = (256, 128)
        elif step.type == 'RandomCrop':
            step.crop_size = (128, 128)
    cfg.train_cfg.update(max_iters=2, val_interval=2)
    cfg.param_scheduler[0].end = 2
    cfg.default_hooks.checkpoint.interval = 2
    cfg.work_dir = str(tmp_path / 'work')
    runner = Runner.from_cfg(cfg)
    runner.train()
    metrics = runner.val_loop.run()
    assert {'mIoU_seen', 'mIoU_unseen', 'hIoU'} <= set(metrics)
    assert tuple(runner.model.class_names) == CLASSES
