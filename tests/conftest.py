import copy
import importlib.util
import os
import os.path as osp
import socket

import numpy as np
import pytest
from mmseg.registry import DATASETS
from PIL import Image

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
DEMO_CONFIG = osp.join(REPO, 'configs', 'demo',
                       'fcn_r18-tiny_synthetic-world.py')


def pytest_collection_modifyitems(config, items):
    """Skip ``gpu`` tests, saying why, where no CUDA GPU is visible."""
    import torch
    if torch.cuda.is_available():
        return
    skip = pytest.mark.skip(
        reason='no CUDA GPU visible; `make test-gpu` runs these on a GPU')
    for item in items:
        if 'gpu' in item.keywords:
            item.add_marker(skip)


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


TINY_VIT = dict(
    embed_dim=32,
    vision_cfg=dict(
        image_size=32, layers=2, width=64, head_width=32, patch_size=8),
    text_cfg=dict(
        context_length=16, vocab_size=49408, width=32, heads=2, layers=1))
TINY_RN = dict(
    embed_dim=32,
    vision_cfg=dict(
        image_size=64,
        layers=[1, 1, 1, 1],
        width=16,
        head_width=32,
        patch_size=None),
    text_cfg=dict(
        context_length=16, vocab_size=49408, width=32, heads=2, layers=1))


def tiny_recipe_model(model, clip_configs):
    """A recipe's model config made small enough to build in a test.

    Every CLIP teacher becomes the tiny RN (or, for ViT teachers, the tiny
    ViT) of ``clip_configs`` with random weights, and so does ZegCLIP's
    prompted image tower (ViT); text heads embed into its 32 dimensions;
    ResNet students get depth 18 and no pretrained weights; SyncBN becomes
    BN. The structure (heads, distiller, classifier) stays
    the recipe's.
    """
    from vlkd_seg.utils import replace_sync_bn
    model = replace_sync_bn(copy.deepcopy(model))
    for teacher in find_configs(model, 'CLIPTeacher'):
        vit = 'vit' in str(teacher['model_name']).lower()
        teacher.update(
            model_name=clip_configs['vit' if vit else 'rn'],
            checkpoint=None,
            templates='single',
            text_cache_dir='')
    for encoder in find_configs(model, 'PromptedCLIPViT'):
        encoder.update(model_name=clip_configs['vit'], checkpoint=None)
    for head in find_configs(model, 'ZegCLIPHead'):
        head.update(in_channels=32, ffn_channels=64)
    for clipseg in find_configs(model, 'CLIPSeg'):  # published or plain
        clipseg.update(
            weights=None,
            clip=dict(model_name=clip_configs['vit'], checkpoint=None),
            extract_layers=(0, 1),
            decode_head=dict(
                type='CLIPSegHead', channels=16, num_heads=2, ffn_channels=32))
    for labeller in find_configs(model, 'SegmentorLabeller'):
        labeller['config'] = _tiny_zegclip_recipe(clip_configs)
    for student in find_configs(model, 'TextEncoderDecoder'):
        student['embed_dim'] = student['decode_head']['num_classes'] = 32
        if (student.get('classifier') or {}).get('mode') == 'dot':
            student['decode_head']['channels'] = 32  # features = embeddings
    student = model.get('student', model)
    backbone = student.get('backbone', {})
    if backbone.get('type') == 'ResNetV1c' and backbone.get('depth') != 18:
        backbone.update(depth=18, init_cfg=None)
        head = student['decode_head']
        if head['type'] == 'LSegHead':
            head['in_channels'] = [64, 128, 256, 512]
        else:
            head['in_channels'] = 512
            if head.get('c1_in_channels'):
                head['c1_in_channels'] = 64
    return model


def _tiny_zegclip_recipe(clip_configs):
    """A recipe file of a tiny trained-segmentor stand-in (ZegCLIP on the
    tiny ViT), beside the tiny CLIP configs."""
    from mmengine.config import Config
    path = osp.join(osp.dirname(clip_configs['vit']), 'tiny_zegclip.py')
    if not osp.isfile(path):
        vit = clip_configs['vit']
        Config(
            dict(
                model=dict(
                    type='ZegCLIP',
                    image_encoder=dict(
                        type='PromptedCLIPViT', model_name=vit, num_tokens=2),
                    text_encoder=dict(
                        type='CLIPTeacher',
                        model_name=vit,
                        templates='single',
                        text_cache_dir=''),
                    decode_head=dict(
                        type='ZegCLIPHead',
                        in_channels=32,
                        num_layers=1,
                        num_heads=4,
                        ffn_channels=64),
                    class_names=['a'],
                    unseen_idx=[]))).dump(path)
    return path


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


def find_configs(node, *types):
    """Every config dict under ``node`` whose ``type`` is one of ``types``."""
    if isinstance(node, dict):
        if node.get('type') in types:
            yield node
        for value in node.values():
            yield from find_configs(value, *types)
    elif isinstance(node, (list, tuple)):
        for value in node:
            yield from find_configs(value, *types)


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
