"""Segmenting with any vocabulary: the API agrees with tools/test.py, a
vocabulary is free to reorder and drop classes, and tools/infer.py writes
what it promises."""
import json
import os
import os.path as osp
import subprocess
import sys

import numpy as np
import pytest
import torch
from PIL import Image

from vlkd_seg.apis import init_segmenter, segment, set_vocabulary
from vlkd_seg.datasets import WORLD_CLASSES
from ..conftest import REPO, load_tool, tiny_overrides
from .conftest import DISTILL

INFER = osp.join(REPO, 'tools', 'infer.py')


def _model(student):
    return init_segmenter(
        DISTILL,
        student['checkpoint'],
        cfg_options={'model.teacher.checkpoint': student['teacher']})


def _labels(samples):
    return [s.pred_sem_seg.data[0].numpy() for s in samples]


def test_api_predictions_equal_those_of_the_test_tool(student, tmp_path):
    out = tmp_path / 'pred'
    opts = [
        o for o in tiny_overrides(student['world'])
        if o.startswith('test_dataloader')
    ]
    load_tool('test').main([
        DISTILL, student['checkpoint'], '--work-dir',
        str(tmp_path / 'work'), '--out',
        str(out), '--show-dir',
        str(tmp_path / 'show'), '--cfg-options',
        f'model.teacher.checkpoint={student["teacher"]}', *opts
    ])
    model = _model(student)
    samples = segment(model, student['images'], batch_size=3)
    assert len(samples) == len(student['images']) == 8
    drawn = list((tmp_path / 'show').rglob('*.png'))
    assert len(drawn) == 8 and min(p.stat().st_size for p in drawn) > 0
    for path, labels in zip(student['images'], _labels(samples)):
        expected = np.array(Image.open(out / osp.basename(path)))
        np.testing.assert_array_equal(labels, expected)


def test_reordered_vocabulary_permutes_the_labels(student):
    model = _model(student)
    before = _labels(segment(model, student['images']))
    order = [3, 0, 8, 5, 1, 7, 2, 6, 4]
    names = set_vocabulary(model, [WORLD_CLASSES[i] for i in order])
    assert model.dataset_meta['classes'] == tuple(names)
    after = _labels(segment(model, student['images']))
    for old, new in zip(before, after):
        np.testing.assert_array_equal(np.array(order)[new], old)


def test_a_dropped_class_gives_its_pixels_to_others(student):
    model = _model(student)
    before = _labels(segment(model, student['images']))
    dropped = int(
        np.bincount(np.concatenate([b.ravel() for b in before])).argmax())
    kept = [i for i in range(len(WORLD_CLASSES)) if i != dropped]
    set_vocabulary(model, [WORLD_CLASSES[i] for i in kept])
    after = [
        np.array(kept)[a] for a in _labels(segment(model, student['images']))
    ]
    for old, new in zip(before, after):
        assert not (new == dropped).any()
        # a pixel whose winner stays in the vocabulary keeps it
        np.testing.assert_array_equal(new[old != dropped], old[old != dropped])


def _infer(student, out, *args):
    return subprocess.run([
        sys.executable, INFER, DISTILL, student['checkpoint'], *args, '--out',
        str(out), '--cfg-options',
        f'model.teacher.checkpoint={student["teacher"]}'
    ],
                          capture_output=True,
                          text=True,
                          cwd=REPO)


def test_cli_writes_overlay_label_map_and_shares_per_image(student, tmp_path):
    folder = osp.dirname(student['images'][0])
    result = _infer(student, tmp_path, folder, '--vocabulary',
                    'star, ring,background,disc')
    assert result.returncode == 0, result.stderr[-3000:]
    stems = sorted(osp.splitext(osp.basename(p))[0] for p in student['images'])
    for stem in stems:
        labels = np.array(Image.open(tmp_path / f'{stem}_labels.png'))
        overlay = Image.open(tmp_path / f'{stem}_overlay.png')
        shares = json.loads((tmp_path / f'{stem}.json').read_text())
        names = shares['vocabulary']
        assert names == ['star', 'ring', 'background', 'disc']
        present = {names[i] for i in np.unique(labels)}
        assert set(overlay.text['legend'].split(';')) == present
        assert {c['name'] for c in shares['classes']} == present
        assert sum(c['fraction'] for c in shares['classes']) == \
            pytest.approx(1, abs=1e-4)


@pytest.mark.parametrize('args, expected', [
    (['--vocabulary', ' , '], 'the vocabulary is empty'),
    (['--vocabulary', 'disc,Disc'], "duplicate class names ['Disc']"),
    (['--vocabulary', 'disc'], 'one class alone cannot be segmented'),
    (['--vocabulary', 'disc,ring,'], 'a trailing or doubled comma'),
])
def test_bad_vocabulary_is_one_line(student, tmp_path, args, expected):
    result = _infer(student, tmp_path, student['images'][0], *args)
    assert result.returncode != 0 and 'Traceback' not in result.stderr
    (line, ) = [
        ln for ln in result.stderr.splitlines() if ln.startswith('error: ')
    ]
    assert expected in line


def test_unreadable_images_are_reported_and_the_rest_written(
        student, tmp_path):
    broken = tmp_path / 'broken.png'
    broken.write_text('not an image')
    out = tmp_path / 'out'
    result = _infer(student, out, str(broken), student['images'][0],
                    str(tmp_path / 'missing.png'), '--vocabulary',
                    'disc,background')
    assert result.returncode == 1 and 'Traceback' not in result.stderr
    errors = [
        ln for ln in result.stderr.splitlines() if ln.startswith('error: ')
    ]
    assert len(errors) == 2
    assert 'missing.png does not exist' in errors[0]
    assert 'cannot read image' in errors[1] and 'broken.png' in errors[1]
    stem = osp.splitext(osp.basename(student['images'][0]))[0]
    assert sorted(os.listdir(out)) == [
        f'{stem}.json', f'{stem}_labels.png', f'{stem}_overlay.png'
    ]


def _one_error_line(result, expected):
    assert result.returncode != 0 and 'Traceback' not in result.stderr
    (line, ) = [
        ln for ln in result.stderr.splitlines() if ln.startswith('error: ')
    ]
    assert expected in line


def test_another_model_checkpoint_or_gpu_is_one_line(student, tmp_path):
    other = tmp_path / 'other.pth'
    torch.save(dict(state_dict=dict(head=torch.zeros(2))), other)
    result = subprocess.run([
        sys.executable, INFER, DISTILL,
        str(other), student['images'][0], '--vocabulary', 'disc',
        '--cfg-options', f'model.teacher.checkpoint={student["teacher"]}'
    ],
                            capture_output=True,
                            text=True,
                            cwd=REPO)
    _one_error_line(result, 'was it trained with another config?')
    fcn = osp.join(REPO, 'configs', 'demo', 'fcn_r18-tiny_synthetic-world.py')
    result = subprocess.run([
        sys.executable, INFER, fcn, student['checkpoint'],
        student['images'][0], '--vocabulary', 'disc'
    ],
                            capture_output=True,
                            text=True,
                            cwd=REPO)
    _one_error_line(result, 'has a fixed classifier')
    if not torch.cuda.is_available():
        result = _infer(student, tmp_path, student['images'][0],
                        '--vocabulary', 'disc', '--device', 'cuda')
        _one_error_line(result, 'no CUDA GPU is visible here')
