"""The README's recipe for a dataset that is not in configs/ loads, fills
every part from its three keys, trains and evaluates seen / unseen IoU."""
import os
import os.path as osp
import re

from mmengine.runner import Runner

from vlkd_seg.utils import load_class_names, load_config
from ..conftest import REPO, find_configs, make_fake_dataset, tiny_recipe_model

HEADER = '# my_recipes/maskclip_plus_my-dataset.py'


def _readme_recipe() -> str:
    readme = open(osp.join(REPO, 'README.md'), encoding='utf-8').read()
    found = re.search(re.escape(HEADER) + r'\n(.*?)```', readme, re.S)
    assert found, f'README has no block starting with {HEADER}'
    return HEADER + '\n' + found.group(1)


def _write_recipe(tmp_path) -> str:
    """The README's text in my_recipes/, with configs/ beside it."""
    os.symlink(osp.join(REPO, 'configs'), tmp_path / 'configs')
    (tmp_path / 'my_recipes').mkdir()
    path = tmp_path / 'my_recipes' / 'maskclip_plus_my-dataset.py'
    path.write_text(_readme_recipe())
    return str(path)


def test_the_readme_recipe_is_at_most_twelve_lines():
    assert len(_readme_recipe().strip().splitlines()) <= 12


def test_the_three_keys_reach_every_part(tmp_path):
    cfg = load_config(_write_recipe(tmp_path), {'data_root': 'elsewhere'})
    names = load_class_names(cfg.class_names)
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        dataset = cfg[loader].dataset
        assert dataset.data_root == 'elsewhere'
        assert list(dataset.metainfo.classes) == names
    for part in (cfg.model, cfg.val_evaluator, cfg.test_evaluator,
                 *find_configs(cfg.train_dataloader, 'ZeroShotLabels')):
        assert part.unseen_idx == cfg.unseen_idx == [3, 5]
    assert cfg.model.class_names == names


def test_the_readme_recipe_trains_and_evaluates(tmp_path, clip_configs):
    data = tmp_path / 'my_dataset'
    cfg = load_config(_write_recipe(tmp_path), {'data_root': str(data)})
    for loader in ('train_dataloader', 'val_dataloader'):
        make_fake_dataset(str(data), cfg[loader].dataset, 7)
        cfg[loader].update(num_workers=0, persistent_workers=False)
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
    assert runner.model.class_names == load_class_names(cfg.class_names)
