"""Common user mistakes, each run as a user runs it (on the embedded
world): non-zero exit, no traceback, one ``error:`` line that names the
fix. Cases that used to print a meaningless number with exit 0 are marked
``was silent``. The Python tools run as their ``__main__`` in this process
(the same argv, exit code and output streams, without an interpreter start
per case); the shell launcher runs in a subprocess."""
import glob
import os
import os.path as osp
import shutil
import subprocess
import sys

import numpy as np
import pytest
import torch
from PIL import Image

from ..conftest import DEMO_CONFIG, REPO, free_port, tiny_overrides
from ._as_main import run_as_main

FCN = DEMO_CONFIG
DISTILL = osp.join(REPO, 'configs', 'demo',
                   'maskclip-plus_fcn-r18-tiny_synthetic-world.py')
MASKCLIP = osp.join(REPO, 'configs', 'demo', 'maskclip_synthetic-world.py')


class Files:
    """Paths the cases refer to, made once per module."""


@pytest.fixture(scope='module')
def files(tiny_world, world_clip, tmp_path_factory):
    root = tmp_path_factory.mktemp('bad_inputs')
    f = Files()
    f.world = tiny_world
    f.teacher = world_clip
    # a world whose labels use class 30 of 9
    f.bad_labels = str(root / 'bad_labels')
    shutil.copytree(tiny_world, f.bad_labels)
    for split in ('train', 'val'):
        folder = osp.join(f.bad_labels, 'ann_dir', split)
        for name in os.listdir(folder):
            seg = np.array(Image.open(osp.join(folder, name)))
            seg[0, 0] = 30
            Image.fromarray(seg).save(osp.join(folder, name))
    f.small_label = str(root / 'small_label')  # a 32 px train label map
    shutil.copytree(tiny_world, f.small_label)
    last = max(glob.glob(f'{f.small_label}/ann_dir/train/*.png'))
    Image.open(last).resize((32, 32)).save(last)
    # a data root that exists and holds no images
    f.empty_root = str(root / 'empty')
    for sub in ('img_dir/train', 'img_dir/val', 'ann_dir/train',
                'ann_dir/val'):
        os.makedirs(osp.join(f.empty_root, sub))
    # an FCN checkpoint (another model than the distiller's)
    f.fcn_work = root / 'fcn'
    _run('train.py', FCN, '--work-dir', str(f.fcn_work), '--cfg-options',
         *tiny_overrides(tiny_world, 2)).check_returncode()
    f.fcn_ckpt = str(f.fcn_work / 'iter_2.pth')
    f.truncated = str(root / 'truncated.pth')
    with open(f.fcn_ckpt, 'rb') as src, open(f.truncated, 'wb') as dst:
        dst.write(src.read()[:5000])
    f.text = str(root / 'notes.pth')
    with open(f.text, 'w') as out:
        out.write('not a checkpoint\n')
    f.broken_config = str(root / 'broken.py')
    with open(f.broken_config, 'w') as out:
        out.write(f"_base_ = ['{FCN}']\nmodel = dict(type='EncoderDecoder'\n")
    return f


def _run(tool, *args):
    if tool.endswith('.sh'):
        cmd = ['bash', osp.join(REPO, 'tools', tool), *args]
        return subprocess.run(
            cmd,
            capture_output=True,
            text=True,
            cwd=REPO,
            env=dict(os.environ, PYTHON=sys.executable, PORT=str(free_port())),
            timeout=300)
    return run_as_main(osp.join(REPO, 'tools', tool), list(args), REPO)


def _world(f, root=None):
    """Options pointing every loader at a (tiny) world, with no workers."""
    return [
        o for o in tiny_overrides(root or f.world, 2)
        if not o.startswith('model.')
    ]


def _test_data(root):
    """Options pointing the test loader at ``root`` (test-only configs)."""
    return [
        f'test_dataloader.dataset.data_root={root}',
        'test_dataloader.num_workers=0',
        'test_dataloader.persistent_workers=False'
    ]


def _teacher(f):
    return [f'model.teacher.checkpoint={f.teacher}']


# (id, tool, argv builder, expected text of the one error line)
CASES = [
    # --- used to print a meaningless number, or train wrongly, exit 0
    ('was silent: student tested without checkpoint', 'test.py',
     lambda f: [DISTILL, '--cfg-options', *_world(f), *_teacher(f)],
     'gets its weights from training: pass its CHECKPOINT'),
    ('was silent: FCN tested without checkpoint', 'test.py',
     lambda f: [FCN, '--cfg-options', *_world(f)],
     'gets its weights from training: pass its CHECKPOINT'),
    ('was silent: checkpoint of another model', 'test.py', lambda f:
     [DISTILL, f.fcn_ckpt, '--cfg-options', *_world(f), *_teacher(f)],
     'was it trained with another config?'),
    ('was silent: unseen_idx disagrees with the dataset', 'train.py',
     lambda f: [
         DISTILL, '--cfg-options', *_world(f), *_teacher(f),
         'model.unseen_idx=[2,4]'
     ], 'disagrees with'),
    ('was silent: labels beyond the classes (test)', 'test.py', lambda f:
     [MASKCLIP, '--cfg-options', *_test_data(f.bad_labels), *_teacher(f)],
     'holds label values [30]'),
    ('labels beyond the classes (train)', 'train.py',
     lambda f: [FCN, '--cfg-options', *_world(f, f.bad_labels)],
     'holds label values [30]'),
    # --- used to end in a traceback
    ('a label map of another size (crashed mid-run)', 'train.py',
     lambda f: [FCN, '--cfg-options', *_world(f, f.small_label)],
     "must have its image's size"),
    ('data root without images', 'train.py',
     lambda f: [FCN, '--cfg-options', *_world(f, f.empty_root)],
     'holds no samples'),
    ('--tta without tta_pipeline', 'test.py',
     lambda f: [FCN, f.fcn_ckpt, '--tta', '--cfg-options', *_world(f)],
     'defines no tta_pipeline'),
    ('dist_train.sh with 0 GPUs', 'dist_train.sh', lambda f: [FCN, '0'],
     "GPUS must be a positive integer, got '0'"),
    ('dist_train.sh with "two" GPUs', 'dist_train.sh', lambda f: [FCN, 'two'],
     "GPUS must be a positive integer, got 'two'"),
    ('--launcher pytorch outside torchrun', 'train.py',
     lambda f: [FCN, '--launcher', 'pytorch', '--cfg-options', *_world(f)],
     'start it with tools/dist_train.sh'),
    ('truncated checkpoint', 'test.py',
     lambda f: [FCN, f.truncated, '--cfg-options', *_world(f)],
     'is not a readable checkpoint'),
    ('a text file as checkpoint', 'test.py',
     lambda f: [FCN, f.text, '--cfg-options', *_world(f)],
     'is not a readable checkpoint'),
    ('a folder as checkpoint', 'test.py',
     lambda f: [FCN, str(f.fcn_work), '--cfg-options', *_world(f)],
     'is a folder: give the .pth file in it'),
    ('vocabulary of the wrong length', 'train.py', lambda f: [
        DISTILL, '--cfg-options', *_world(f), *_teacher(f),
        'model.class_names=[a,b]'
    ], 'the dataset has 9 classes'),
    ('self-training before the teacher', 'train.py', lambda f: [
        DISTILL, '--cfg-options', *_world(f), *_teacher(f),
        'model.labellers.1.start=0'
    ], 'each after the one before'),
    ('unknown teacher precision', 'train.py', lambda f: [
        DISTILL, '--cfg-options', *_world(f), *_teacher(f),
        'model.teacher.precision=fp64'
    ], "precision must be one of ['fp32', 'bf16', 'fp16']"),
    ('unknown prompt template set', 'train.py', lambda f: [
        DISTILL, '--cfg-options', *_world(f), *_teacher(f),
        'model.teacher.templates=imagenet'
    ], "unknown template set 'imagenet'"),
    # --- found while building this table
    ('misspelt model type', 'train.py', lambda f: [
        DISTILL, '--cfg-options', *_world(f), *_teacher(f),
        'model.type=PseudoLabelDistiler'
    ], "did you mean 'PseudoLabelDistiller'?"),
    ('config with a syntax error', 'train.py', lambda f: [f.broken_config],
     'cannot read config'),
    ('training a training-free model', 'train.py',
     lambda f: [MASKCLIP, '--cfg-options', *_test_data(f.world), *_teacher(f)],
     'evaluate it with tools/test.py'),
    ('batch size 0', 'train.py', lambda f:
     [FCN, '--cfg-options', *_world(f), 'train_dataloader.batch_size=0'],
     'train_dataloader.batch_size must be an int >= 1'),
    ('was silent: a table of an empty folder', 'li2023_table.py',
     lambda f: [f'Food101={f.empty_root}'], 'holds no last_evaluations.json'),
    ('was silent: a table of an unknown dataset', 'li2023_table.py',
     lambda f: [f'Food102={f.empty_root}'], "unknown dataset 'Food102'"),
    ('a misspelt CLIP in the benchmark', 'benchmark.py',
     lambda f: ['teacher', '--arch', 'RN5O', '--repeats', '1'], 'RN5O'),
    ('max_iters 0 (was silent: nothing trained, exit 0)', 'train.py',
     lambda f: [FCN, '--cfg-options', *_world(f), 'train_cfg.max_iters=0'],
     'train_cfg.max_iters must be an int >= 1, got 0'),
    ('val_interval 0', 'train.py',
     lambda f: [FCN, '--cfg-options', *_world(f), 'train_cfg.val_interval=0'],
     'train_cfg.val_interval must be an int >= 1'),
    ('a negative lr', 'train.py', lambda f:
     [FCN, '--cfg-options', *_world(f), 'optim_wrapper.optimizer.lr=-0.01'],
     'optim_wrapper.optimizer.lr must be a number > 0, got -0.01'),
    ('a misspelt optimiser', 'train.py', lambda f:
     [FCN, '--cfg-options', *_world(f), 'optim_wrapper.optimizer.type=SDG'],
     "did you mean 'SGD'?"),
    ('max_iters at the top level', 'train.py',
     lambda f: [FCN, '--cfg-options', *_world(f), 'max_iters=2'],
     "did you mean 'train_cfg.max_iters'?"),
    ('a seed of -1', 'train.py',
     lambda f: [FCN, '--cfg-options', *_world(f), 'randomness.seed=-1'],
     'randomness.seed must be an int >= 0'),
]
if not torch.cuda.is_available():
    CASES.append(('--amp without CUDA', 'train.py',
                  lambda f: [FCN, '--amp', '--cfg-options', *_world(f)],
                  'needs a CUDA GPU'))


@pytest.mark.parametrize(
    'tool, argv, expected', [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_is_one_error_line(files, tool, argv, expected):
    result = _run(tool, *argv(files))
    assert result.returncode != 0, result.stdout[-2000:]
    assert 'Traceback' not in result.stderr, result.stderr[-3000:]
    errors = [
        line for line in result.stderr.splitlines()
        if line.startswith('error: ')
    ]
    assert len(errors) == 1, result.stderr[-3000:]
    assert expected in errors[0], errors[0]


def test_debug_shows_the_traceback(files):
    result = _run('test.py', FCN, files.text, '--debug', '--cfg-options',
                  *_world(files))
    assert result.returncode != 0
    assert 'Traceback' in result.stderr
    assert 'is not a readable checkpoint' in result.stderr


def test_resume_with_nothing_to_resume_says_so(files, tmp_path):
    result = _run('train.py', FCN, '--resume', '--work-dir', str(tmp_path),
                  '--cfg-options', *_world(files))
    assert result.returncode == 0, result.stderr[-3000:]
    assert (f'warning: --resume: no checkpoint in {tmp_path}; training '
            'starts from iteration 0') in result.stderr


def test_the_right_checkpoint_still_tests(files):
    result = _run('test.py', FCN, files.fcn_ckpt, '--cfg-options',
                  *_world(files))
    assert result.returncode == 0, result.stderr[-3000:]
    assert 'mIoU_unseen' in result.stdout + result.stderr
