"""tools/weak_world.py: teacher pseudo-mask quality, image-tag and fully
supervised students, results.json."""
import json
import os
import os.path as osp

import torch

from vlkd_seg.demo import WORLD_CLIP_CONFIG
from vlkd_seg.models.teachers.clip_checkpoint import create_clip
from ..conftest import load_tool


def test_the_tool_writes_every_number(tiny_world, tmp_path):
    cache = tmp_path / 'cache'
    (cache / 'world_clip').mkdir(parents=True)
    os.symlink(tiny_world, cache / 'synthetic_world')
    torch.save(
        create_clip(WORLD_CLIP_CONFIG).state_dict(),
        cache / 'world_clip' / 'world_clip_rn.pt')
    load_tool('weak_world').main([
        '--seeds', '1', '--iters', '2', '--cache',
        str(cache), '--work-dir',
        str(tmp_path / 'work')
    ])
    results = json.loads((tmp_path / 'work' / 'results.json').read_text())
    assert 0 <= results['teacher_pseudo_mIoU'] <= 100
    for kind in ('image_tags', 'fully_supervised'):
        assert [r['seed'] for r in results[kind]['runs']] == [1]
        assert osp.isdir(tmp_path / 'work' / f'{kind}_1')
    assert results['share_of_fully_supervised'] == (
        results['image_tags']['mean'] / results['fully_supervised']['mean'])
