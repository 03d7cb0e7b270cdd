"""The paper's protocol end to end on a tiny dataset in the authors' file
format: distillation (tools/train.py), 5-shot OOD fine-tuning
(tools/li2023_few_shot.py) and the Table-1 printout (tools/li2023_table.py)."""
import json
import os.path as osp

import pytest

from ..conftest import REPO, load_tool
from ..test_classification.authors_files import write_authors_folder

RECIPE = osp.join(REPO, 'configs', 'vlkd_cls',
                  'vlkd-cls_r18_vit-l14_li2023-cub.py')


def _recipe_options(folder, clip_config):
    opts = [
        f'model.teacher.model_name={clip_config}',
        'model.teacher.checkpoint=None', 'model.teacher.text_cache_dir=',
        f'model.class_split={folder}', f'val_evaluator.class_split={folder}',
        f'test_evaluator.class_split={folder}', 'train_cfg.max_epochs=2',
        'train_cfg.val_interval=1', 'param_scheduler.0.milestones=[1]',
        'default_hooks.checkpoint.interval=2', 'custom_hooks.1.num_workers=0'
    ]
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        opts += [
            f'{loader}.batch_size=4', f'{loader}.num_workers=0',
            f'{loader}.persistent_workers=False',
            f'{loader}.dataset.class_split={folder}',
            f'{loader}.dataset.data_root={folder}'
        ]
    return opts


def test_distill_fine_tune_and_tabulate(tmp_path, clip_configs, monkeypatch,
                                        capsys):
    monkeypatch.setenv('VLKD_CACHE', str(tmp_path / 'cache'))
    folder = str(tmp_path / 'CaltechBirds')
    write_authors_folder(folder, images=folder)
    opts = _recipe_options(folder, clip_configs['rn'])
    work = str(tmp_path / 'work')
    load_tool('train').main(
        [RECIPE, '--work-dir', work, '--cfg-options', *opts])
    runner = load_tool('li2023_few_shot').main([
        RECIPE, work, '--cfg-options', *opts, '--shot-options',
        'train_cfg.max_epochs=2', 'train_cfg.val_interval=1',
        'param_scheduler.0.total_steps=2'
    ])
    # X_train + 5 images of each of the 2 OOD classes; tested on the rest
    assert len(runner.train_dataloader.dataset) == 7 + 10
    assert len(runner.val_dataloader.dataset) == 3 + 13 - 10
    with open(osp.join(work, 'fewshot5', 'last_evaluations.json')) as f:
        few = json.load(f)
    assert len(few['history']) == 2
    capsys.readouterr()
    rows = load_tool('li2023_table').main([f'CaltechBirds={work}'])
    with open(osp.join(work, 'last_evaluations.json')) as f:
        zero = json.load(f)['mean']
    assert rows[0]['x_id'] == pytest.approx(zero['vlkd/id_acc'])
    assert rows[0]['zero_shot'] == pytest.approx(zero['vlkd/ood_acc'])
    assert rows[0]['few_shot'] == pytest.approx(few['mean']['vlkd/ood_acc'])
    out = capsys.readouterr().out
    # the paper's teacher zero-shot numbers for CUB and its 6-dataset mean
    assert '70.0' in out and '70.5' in out and '23.6' in out
