"""tools/ssiw_world.py: the merged student and each dataset's alone over
seeds, each tested on the world and on both datasets' labels."""
import json
import os
import os.path as osp

import pytest
import torch

from vlkd_seg.datasets import WORLD_CLASSES
from vlkd_seg.datasets.world_views import WORLD_VIEWS
from vlkd_seg.demo import WORLD_CLIP_CONFIG
from vlkd_seg.models.teachers.clip_checkpoint import create_clip
from vlkd_seg.utils import load_config
from ..conftest import REPO, load_tool, make_fake_dataset


def test_the_tool_writes_every_row(tiny_world, tmp_path):
    cache = tmp_path / 'cache'
    (cache / 'world_clip').mkdir(parents=True)
    os.symlink(tiny_world, cache / 'synthetic_world')
    torch.save(
        create_clip(WORLD_CLIP_CONFIG).state_dict(),
        cache / 'world_clip' / 'world_clip_rn.pt')
    tool = load_tool('ssiw_world')
    results = tool.main([
        '--seeds', '0', '--iters', '2', '--cache',
        str(cache), '--work-dir',
        str(tmp_path / 'work')
    ])
    saved = json.loads((tmp_path / 'work' / 'results.json').read_text())
    assert saved == json.loads(json.dumps(results))
    for kind in ('merged', 'a', 'b'):
        run = saved[kind]['runs'][0]
        assert set(run['metrics']) == set(tool.COLUMNS)
        assert all(0 <= v <= 100 or v != v for v in run['metrics'].values())
    # the merge table of the run's label spaces, in its work dir
    table = json.loads(
        (tmp_path / 'work' / 'merged_seed0' / 'label_spaces.json').read_text())
    assert table['table'][4] == dict(
        name='ring', sources=dict(a='ring', b='hoop'))

    # the merged student on datasets it did not train on, a row each: view
    # a's labels (its classes all known), and the world labelled with a
    # class no training dataset named ('pentagram', named zero-shot)
    world = str(cache / 'synthetic_world')
    targets = []
    for name, classes in (('a', list(WORLD_VIEWS['a'])), ('renamed', [
            'pentagram' if c == 'star' else c for c in WORLD_CLASSES
    ])):
        target = tmp_path / f'{name}.py'
        dataset = dict(
            type='BaseSegDataset',
            data_root=world,
            img_suffix='.png',
            seg_map_suffix='.png',
            metainfo=dict(classes=classes),
            data_prefix=dict(
                img_path='img_dir/val',
                seg_map_path='views/a/ann_dir/val'
                if name == 'a' else 'ann_dir/val'),
            pipeline=[
                dict(type='LoadImageFromFile'),
                dict(type='LoadAnnotations'),
                dict(type='PackSegInputs')
            ])
        target.write_text(f'test_dataloader = dict(dataset={dataset!r})\n')
        targets.append(str(target))
    # VOC-20 as its dataset base sets it up (its own zero-shot split
    # aside), on a stand-in tree: its 20 classes named zero-shot
    voc = load_config(
        osp.join(REPO, 'configs', '_base_', 'datasets', 'pascal_voc12_aug.py'))
    root = str(tmp_path / 'voc')
    make_fake_dataset(root, voc.test_dataloader.dataset, 20)
    target = tmp_path / 'voc.py'
    target.write_text(
        f'_base_ = [{voc.filename!r}]\n'
        f'test_dataloader = dict(dataset=dict(data_root={root!r}))\n')
    targets.append(str(target))
    run = tmp_path / 'work' / 'merged_seed0'
    rows = load_tool('cross_dataset_test').main([
        str(next(run.glob('*.py'))),
        str(run / 'iter_2.pth'), '--targets', *targets, '--other',
        'background', '--work-dir',
        str(tmp_path / 'cross')
    ])
    assert [(r['classes'], r['new']) for r in rows] == [(6, 0), (9, 1),
                                                        (20, 20)]
    assert json.loads(
        (tmp_path / 'cross' / 'cross_dataset.json').read_text()) == json.loads(
            json.dumps(rows))
    assert all(0 <= r['mIoU'] <= 100 for r in rows)


def test_own_classes_are_those_the_other_view_lacks():
    tool = load_tool('ssiw_world')
    assert tool.own_classes([['ring', 'hoop']]) == dict(
        a=[2, 3, 5], b=[3, 4, 5])


def test_cross_dataset_test_names_bad_inputs(tmp_path):
    tool = load_tool('cross_dataset_test')
    recipe = osp.join(REPO, 'configs', 'demo',
                      'ssiw_fcn-r18-tiny_synthetic-world-views.py')
    checkpoint = tmp_path / 'iter_2.pth'
    checkpoint.write_bytes(b'')
    not_a_dataset = tmp_path / 'schedule.py'
    not_a_dataset.write_text('train_cfg = dict(max_iters=2)\n')
    for argv, message in (
        ([str(tmp_path / 'none.pth'), '--targets',
          recipe], 'does not exist: give the .pth'),
        ([str(checkpoint), '--targets',
          str(not_a_dataset)], 'define no test_dataloader.dataset'),
    ):
        with pytest.raises(SystemExit) as exit_:
            tool.main([recipe, *argv])
        assert message in str(exit_.value.code)
