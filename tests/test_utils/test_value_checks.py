"""Typed, ranged config values and counts on the command line: the rules
match exactly their keys, accept the recipes' values and name the range."""
import argparse
import glob
import os.path as osp

import pytest
import torch
from mmengine.config import Config

from vlkd_seg.utils import ConfigError, load_config
from vlkd_seg.utils.cli import at_least, fraction
from vlkd_seg.utils.launch import torch_device
from vlkd_seg.utils.value_checks import check_config_values, leaves
from ..conftest import REPO

RECIPES = sorted(
    p for p in glob.glob(
        osp.join(REPO, 'configs', '**', '*.py'), recursive=True)
    if '_base_' not in p)


def _cfg(**overrides) -> Config:
    cfg = dict(
        train_cfg=dict(max_iters=10, val_interval=5),
        optim_wrapper=dict(optimizer=dict(type='SGD', lr=0.01, momentum=0.9)),
        train_dataloader=dict(
            batch_size=2,
            num_workers=0,
            dataset=dict(pipeline=[dict(type='RandomCrop', crop_size=64)])),
        param_scheduler=[dict(type='PolyLR', begin=0, end=10)],
        randomness=dict(seed=None))
    cfg = Config(cfg)
    cfg.merge_from_dict(overrides)
    return cfg


def test_every_recipe_passes():
    for path in RECIPES:
        check_config_values(load_config(path))


@pytest.mark.parametrize('key, value, message', [
    ('train_cfg.max_iters', 'abc', 'must be an int >= 1'),
    ('train_cfg.max_iters', 0, 'must be an int >= 1, got 0'),
    ('train_cfg.val_interval', 0, 'must be an int >= 1'),
    ('optim_wrapper.optimizer.lr', 0, 'must be a number > 0'),
    ('optim_wrapper.optimizer.momentum', 1.5, 'a number >= 0 and <= 1'),
    ('train_dataloader.batch_size', 2.5, 'must be an int >= 1'),
    ('train_dataloader.num_workers', -1, 'must be an int >= 0'),
    ('train_dataloader.dataset.pipeline.0.crop_size',
     (0, 64), 'a positive int or a pair'),
    ('randomness.seed', True, 'must be an int >= 0'),
    ('param_scheduler.0.end', 0, 'must be an int >= 1'),
])
def test_a_value_outside_its_rule_is_named(key, value, message):
    check_config_values(_cfg())
    with pytest.raises(ConfigError) as err:
        check_config_values(_cfg(**{key: value}))
    text = str(err.value)
    assert text.startswith(f'{key} must be') and message in text


def test_schedulers_and_checkpoints_that_cannot_run_are_refused():
    with pytest.raises(ConfigError, match='ends .end=3. before it begins'):
        check_config_values(
            _cfg(**{
                'param_scheduler.0.begin': 3,
                'param_scheduler.0.end': 3
            }))
    cfg = _cfg(default_hooks=dict(checkpoint=dict(interval=0)))
    with pytest.raises(ConfigError, match='-1 saves only at the end'):
        check_config_values(cfg)


def test_leaves_name_list_items_by_index():
    found = dict(leaves(dict(a=[dict(b=1), dict(c=[1, 2])], d=(3, 4))))
    assert found == {'a.0.b': 1, 'a.1.c': [1, 2], 'd': (3, 4)}


@pytest.mark.parametrize('text, ok', [('0', False), ('-3', False),
                                      ('x', False), ('1', True)])
def test_counts_on_the_command_line(text, ok, capsys):
    parser = argparse.ArgumentParser(prog='tool')
    parser.add_argument('--iters', type=at_least(1))
    if ok:
        assert parser.parse_args(['--iters', text]).iters == 1
        return
    with pytest.raises(SystemExit) as exit_:
        parser.parse_args(['--iters', text])
    assert exit_.value.code == 2
    assert (f"error: argument --iters: must be an int >= 1, got '{text}'"
            in capsys.readouterr().err)


@pytest.mark.parametrize('text, ok', [('0.5', True), ('5', False),
                                      ('-0.1', False), ('half', False)])
def test_fractions_on_the_command_line(text, ok, capsys):
    parser = argparse.ArgumentParser(prog='tool')
    parser.add_argument('--opacity', type=fraction)
    if ok:
        assert parser.parse_args(['--opacity', text]).opacity == 0.5
        return
    with pytest.raises(SystemExit):
        parser.parse_args(['--opacity', text])
    assert 'must be a number in [0, 1]' in capsys.readouterr().err


def test_device_names_are_checked():
    assert torch_device('cpu') == torch.device('cpu')
    with pytest.raises(ConfigError, match="'gpu' is not a device: use cpu"):
        torch_device('gpu')
    if not torch.cuda.is_available():
        with pytest.raises(ConfigError, match='no CUDA GPU is visible'):
            torch_device('cuda:0')
