"""tools/weak_world.py: teacher pseudo-mask quality, image-tag and fully
supervised students, results.json."""
import json
import os
import os.path as osp
from types import SimpleNamespace

import torch
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample

from vlkd_seg.demo import WORLD_CLIP_CONFIG
from vlkd_seg.models.teachers.clip_checkpoint import create_clip
from ..conftest import load_tool


def test_pseudo_mask_miou_is_100_for_the_true_masks():
    tool = load_tool('weak_world')
    gt = torch.tensor([[[0, 1], [2, 255]]])
    sample = SegDataSample(gt_sem_seg=PixelData(data=gt))
    model = SimpleNamespace(
        data_preprocessor=lambda data, training: data,
        teacher_pseudo_labels=lambda inputs, samples: gt[None])
    batch = dict(inputs=torch.zeros(1, 3, 2, 2), data_samples=[sample])
    assert tool.pseudo_mask_miou(model, [batch], 3) == 100.
    model.teacher_pseudo_labels = lambda inputs, samples: torch.zeros_like(gt)[
        None]
    # class 0 right on 1 of 3 labelled pixels; classes 1 and 2 missed
    assert abs(tool.pseudo_mask_miou(model, [batch], 3) - 100 / 9) < 1e-4


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
