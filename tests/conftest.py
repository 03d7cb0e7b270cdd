import importlib.util
import os
import os.path as osp
import socket

import numpy as np
import pytest
from mmseg.registry import DATASETS
from PIL import Image

# the tiny stand-ins, where the tests have always imported them from
from .mmengine_state import named_instances_restored
from .tiny_models import TINY_RN, TINY_VIT
from .tiny_models import find_configs, tiny_recipe_model  # noqa: F401

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
DEMO_CONFIG = osp.join(REPO, 'configs', 'demo',
                       'fcn_r18-tiny_synthetic-world.py')
WORLD_CLIP = osp.join(REPO, 'configs', 'demo', 'world_clip_rn.json')


def pytest_collection_modifyitems(config, items):
    """Skip ``gpu`` tests, saying why, where no CUDA GPU is visible."""
    import torch
    skip = pytest.mark.skipif(
        not torch.cuda.is_available(),
        reason='no CUDA GPU visible; `make test-gpu` runs these on a GPU')
    for item in items:
        if 'gpu' in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _fresh_mmengine_instances():
    """Each test leaves mmengine's named instances as it found them."""
    with named_instances_restored():
        yield


def load_tool(name):
    """Import ``tools/<name>.py`` as a module."""
    spec = importlib.util.spec_from_file_location(
        f'tools_{name}', osp.join(REPO, 'tools', name + '.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


@pytest.fixture(scope='session')
def tiny_world(tmp_path_factory):
    """A 16 + 8 scene synthetic world, made once per test session."""
    from vlkd_seg.datasets import generate_world
    root = tmp_path_factory.mktemp('world') / 'synthetic_world'
    return str(generate_world(str(root), dict(train=16, val=8), progress=None))


@pytest.fixture(scope='session')
def world_clip(tmp_path_factory):
    """A world CLIP checkpoint (random weights, seed 0) for teachers."""
    import torch
    from vlkd_seg.models.teachers.clip_checkpoint import create_clip
    path = str(tmp_path_factory.mktemp('world_clip') / 'world_clip.pt')
    with torch.random.fork_rng():
        torch.manual_seed(0)
        torch.save(create_clip(WORLD_CLIP).state_dict(), path)
    return path


def tiny_overrides(world, iters=2):
    """``--cfg-options`` that make the demo config a seconds-long run."""
    opts = [
        f'train_cfg.max_iters={iters}', f'train_cfg.val_interval={iters}',
        f'default_hooks.checkpoint.interval={iters}',
        f'param_scheduler.0.end={iters}', 'default_hooks.logger.interval=1',
        'model.decode_head.dropout_ratio=0.0'
    ]
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        opts += [
            f'{loader}.dataset.data_root={world}', f'{loader}.num_workers=0',
            f'{loader}.persistent_workers=False', f'{loader}.batch_size=4'
        ]
    return opts


def point_at(cfg, data_root=None, class_split=None):
    """Point a config at the user's folders, every part that names one:
    each dataset's ``data_root`` and, for ``class_split``, the class-split
    datasets, metrics and classifier (what a user's own recipe or
    ``--cfg-options`` sets). Returns ``cfg``."""
    from vlkd_seg.utils import iter_datasets
    if data_root is not None:
        for _, dataset, _ in iter_datasets(cfg):
            dataset.data_root = data_root
    if class_split is not None:
        parts = [
            cfg.get(k)
            for k in ('model', 'train_dataloader', 'val_dataloader',
                      'test_dataloader', 'val_evaluator', 'test_evaluator')
        ]
        for node in find_configs(parts, 'ClassSplitDataset', 'VLDistillMetric',
                                 'VLDistillClassifier'):
            node['class_split'] = class_split
    return cfg


def write_clip_config(folder, name, cfg):
    """Write an open_clip JSON model config and return its path."""
    import json
    path = osp.join(str(folder), name + '.json')
    with open(path, 'w') as f:
        json.dump(cfg, f)
    return path


@pytest.fixture(scope='session')
def clip_configs(tmp_path_factory):
    """Paths of a tiny ViT and a tiny ModifiedResNet open_clip config."""
    folder = tmp_path_factory.mktemp('clip_configs')
    return dict(
        vit=write_clip_config(folder, 'tiny-vit-test', TINY_VIT),
        rn=write_clip_config(folder, 'tiny-rn-test', TINY_RN))


def make_fake_dataset(root, dataset_cfg, num_classes, names=('a1', 'b2')):
    """Write two 64x80 images with labels that use every class."""
    prefix = dataset_cfg['data_prefix']
    for folder in prefix.values():
        os.makedirs(osp.join(root, folder), exist_ok=True)
    ann_files = [dataset_cfg.get('ann_file')] + list(
        dataset_cfg.get('extra_ann_files', []))
    for ann_file in filter(None, ann_files):
        ann = osp.join(root, ann_file)
        os.makedirs(osp.dirname(ann), exist_ok=True)
        with open(ann, 'w') as f:
            f.write('\n'.join(names) + '\n')
    probe = DATASETS.get(dataset_cfg['type'])(**{
        k: v
        for k, v in dict(
            dataset_cfg, data_root=str(root), lazy_init=True,
            pipeline=[]).items() if k not in ('type', '_scope_')
    })
    rng = np.random.default_rng(0)
    for name in names:
        img = rng.integers(0, 255, (64, 80, 3), dtype=np.uint8)
        Image.fromarray(img).save(
            osp.join(root, prefix['img_path'], name + probe.img_suffix))
        # raw label values: reduce_zero_label datasets store class + 1
        offset = 1 if probe.reduce_zero_label else 0
        seg = (np.arange(64 * 80) % num_classes + offset).reshape(64, 80)
        Image.fromarray(seg.astype(np.uint8)).save(
            osp.join(root, prefix['seg_map_path'],
                     name + probe.seg_map_suffix))


def write_class_split(folder, parts, name='split'):
    """Write a class-split file: class ``c{i}`` of part ``parts[i]``."""
    path = osp.join(str(folder), name + '.tsv')
    with open(path, 'w') as f:
        f.write('# name\tsplit\tdescription\n')
        for i, part in enumerate(parts):
            f.write(f'c{i}\t{part}\tThe class number {i}.\n')
    return path


@pytest.fixture(scope='session')
def reduced_world(tmp_path_factory):
    """The reduced demo's world (600 + 100 scenes) and its CLIP teacher
    (200 steps, batch 32) in a cache folder, made once per session."""
    from vlkd_seg.datasets import generate_world
    from vlkd_seg.demo import ensure_world_clip
    cache = tmp_path_factory.mktemp('reduced_world')
    world = generate_world(
        str(cache / 'synthetic_world'),
        dict(train=600, val=100),
        progress=None)
    teacher = ensure_world_clip(
        world,
        osp.join(REPO, 'configs', 'demo', 'world_clip_rn.json'),
        str(cache / 'world_clip' / 'world_clip_rn.pt'),
        steps=200,
        batch_size=32,
        log=None)
    return dict(cache=str(cache), world=world, teacher=teacher)


@pytest.fixture(scope='session')
def tiny_world_objects(tmp_path_factory):
    """24 training and 16 test single-object scenes (mmpretrain layout)."""
    from vlkd_seg.datasets import generate_world_objects
    root = tmp_path_factory.mktemp('objects') / 'world_objects'
    return str(
        generate_world_objects(
            str(root), dict(train=24, test=16), progress=None))
