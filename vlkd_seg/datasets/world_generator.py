"""Write the embedded synthetic world (:mod:`.world_scenes`) to disk.

The output layout is the usual mmseg one::

    root/img_dir/{train,val}/000000.png
    root/ann_dir/{train,val}/000000.png
    root/captions/{train,val}.json   # {"000000": "a photo of a disc."}
"""
import json
import os
import os.path as osp
import shutil
import tempfile
from typing import Callable, Dict, Optional, Sequence

import numpy as np
from PIL import Image

from vlkd_seg.utils.errors import ConfigError
from .world_scenes import WORLD_CLASSES, caption, make_scene


def generate_world(root: str,
                   splits: Optional[Dict[str, int]] = None,
                   size: int = 64,
                   seed: int = 0,
                   progress: Optional[Callable[[str], None]] = print) -> str:
    """Write the synthetic world to ``root`` unless it is already complete.

    The world is written into a temporary folder beside ``root`` and moved in
    place at the end, so an interrupted run never leaves a half-written
    dataset behind.

    Args:
        root (str): Output folder.
        splits (dict[str, int], optional): Number of images per split.
            Defaults to ``{'train': 2000, 'val': 200}``.
        size (int): Image size in pixels.
        seed (int): Base seed; split ``s`` image ``i`` uses a seed derived
            from ``(seed, s, i)``.
        progress (callable, optional): Called with progress messages.

    Returns:
        str: ``root``.
    """
    splits = splits or {'train': 2000, 'val': 200}
    spec = dict(splits=splits, size=size, seed=seed, classes=WORLD_CLASSES)

    def write(tmp):
        for split_id, (split, count) in enumerate(sorted(splits.items())):
            _write_split(tmp, split, count, size, (seed, split_id), progress)

    return build_once(root, spec, write)


def generate_world_objects(
        root: str,
        splits: Optional[Dict[str, int]] = None,
        size: int = 64,
        seed: int = 0,
        progress: Optional[Callable[[str], None]] = print) -> str:
    """Write single-object scenes for image classification to ``root``.

    The layout is mmpretrain's ``CustomDataset`` one: ``{split}/NNNNNN.png``
    and ``meta/{split}.txt`` with lines ``"{split}/NNNNNN.png {label}"``,
    where ``label`` indexes the eight objects (``WORLD_CLASSES[1:]``). Like
    :func:`generate_world`, it is written once and atomically.

    Args:
        splits (dict[str, int], optional): Images per split; defaults to
            ``{'train': 4000, 'test': 800}``.
    """
    splits = splits or {'train': 4000, 'test': 800}
    spec = dict(
        kind='objects',
        splits=splits,
        size=size,
        seed=seed,
        classes=WORLD_CLASSES[1:])

    def write(tmp):
        os.makedirs(osp.join(tmp, 'meta'))
        for split_id, (split, count) in enumerate(sorted(splits.items())):
            _write_objects(tmp, split, count, size, (seed, 100 + split_id),
                           progress)

    return build_once(root, spec, write)


def build_once(root: str, spec: dict, write: Callable[[str], None]) -> str:
    """Run ``write(tmp)`` into a temporary folder and move it to ``root``,
    unless ``root`` already holds the output of ``spec``."""
    spec_file = osp.join(root, 'world.json')
    if osp.isfile(spec_file):
        with open(spec_file) as f:
            made = json.load(f)
        asked = json.loads(json.dumps(spec))
        if made == asked:
            return root
        changed = ', '.join(f'{k} {made.get(k)} (asked {asked.get(k)})'
                            for k in sorted(set(made) | set(asked))
                            if made.get(k) != asked.get(k))
        raise ConfigError(
            f'{root} holds a synthetic world made with other settings: '
            f'{changed}; delete the folder to remake it, or give another '
            'cache folder (--cache)')
    parent = osp.dirname(osp.abspath(root))
    os.makedirs(parent, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix='.world-', dir=parent)
    try:
        write(tmp)
        with open(osp.join(tmp, 'world.json'), 'w') as f:
            json.dump(spec, f)
        if osp.isdir(root):
            shutil.rmtree(root)
        os.replace(tmp, root)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return root


def _write_split(root: str, split: str, count: int, size: int,
                 seed: Sequence[int], progress: Optional[Callable]) -> None:
    img_dir = osp.join(root, 'img_dir', split)
    ann_dir = osp.join(root, 'ann_dir', split)
    os.makedirs(img_dir)
    os.makedirs(ann_dir)
    captions = {}
    seeds = np.random.SeedSequence(list(seed)).generate_state(count)
    for i, scene_seed in enumerate(seeds):
        image, label = make_scene(int(scene_seed), size)
        name = f'{i:06d}'
        Image.fromarray(image).save(osp.join(img_dir, name + '.png'))
        Image.fromarray(label).save(osp.join(ann_dir, name + '.png'))
        captions[name] = caption(label)
        if progress and (i + 1) % 500 == 0:
            progress(f'[world] {split}: {i + 1}/{count} scenes')
    os.makedirs(osp.join(root, 'captions'), exist_ok=True)
    with open(osp.join(root, 'captions', split + '.json'), 'w') as f:
        json.dump(captions, f, indent=0)


def _write_objects(root: str, split: str, count: int, size: int,
                   seed: Sequence[int], progress: Optional[Callable]) -> None:
    os.makedirs(osp.join(root, split))
    lines = []
    seeds = np.random.SeedSequence(list(seed)).generate_state(count)
    for i, scene_seed in enumerate(seeds):
        image, label = make_scene(int(scene_seed), size, max_objects=1)
        name = f'{split}/{i:06d}.png'
        Image.fromarray(image).save(osp.join(root, name))
        lines.append(f'{name} {int(label.max()) - 1}\n')
        if progress and (i + 1) % 1000 == 0:
            progress(f'[world objects] {split}: {i + 1}/{count} scenes')
    with open(osp.join(root, 'meta', split + '.txt'), 'w') as f:
        f.writelines(lines)
