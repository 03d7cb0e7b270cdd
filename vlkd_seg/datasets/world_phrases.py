"""Phrases of the embedded world for ``PhraseMaskDataset``: the captions'
words ("a disc", "a disc and a star") with the masks they name.

Written beside the world, ``root/phrases/``:

- ``train.jsonl``: per training scene holding no unseen object, "a X" for
  each object and "a X and a Y" for each pair of objects (caption order),
  the mask the scene's label map gives them (``values``);
- ``val_seen.jsonl``, ``val_unseen.jsonl``: per validation scene, "a X"
  for every class of the split, a negative (no mask) where the scene does
  not hold it; the ``phrase`` class IoU of each file is the binary IoU of
  the split's phrases.
"""
import json
import os
import os.path as osp
from functools import lru_cache, partial
from itertools import combinations
from typing import Dict, List, Sequence, Tuple

import numpy as np
from PIL import Image

from vlkd_seg.utils.errors import ConfigError, MissingFileError
from vlkd_seg.utils.io import write_atomically
from .world_scenes import WORLD_CLASSES

#: objects with fewer visible pixels are not named (as the captions)
MIN_PIXELS = 8


def write_world_phrases(root: str, unseen: Sequence[str]) -> str:
    """Write the phrase files of the world at ``root`` unless they exist.

    Args:
        root (str): The world (``tools/generate_world.py``).
        unseen (Sequence[str]): Names of the unseen objects.

    Returns:
        str: The phrase folder.
    """
    bad = [n for n in unseen if n not in WORLD_CLASSES[1:]]
    if bad:
        raise ConfigError(f'unseen objects {bad} are not among the world\'s '
                          f'{list(WORLD_CLASSES[1:])}')
    folder = osp.join(root, 'phrases')
    unseen_values = {WORLD_CLASSES.index(n) for n in unseen}
    seen_values = set(range(1, len(WORLD_CLASSES))) - unseen_values
    scenes = lru_cache()(partial(_scenes, root))  # each split read once
    files = dict(
        train=lambda: _train_lines(scenes('train'), unseen_values),
        val_seen=lambda: _val_lines(scenes('val'), seen_values),
        val_unseen=lambda: _val_lines(scenes('val'), unseen_values))
    for name, lines in files.items():
        path = osp.join(folder, f'{name}.jsonl')
        if not osp.isfile(path):
            write_atomically('\n'.join(map(json.dumps, lines())) + '\n', path)
    return folder


def _scenes(root: str, split: str) -> Dict[str, Tuple[List[int], set]]:
    """Each scene's file name, the objects it shows (at least
    ``MIN_PIXELS``) and every label value in it."""
    ann_dir = osp.join(root, 'ann_dir', split)
    if not osp.isdir(ann_dir):
        raise MissingFileError(f'{ann_dir} does not exist: generate the '
                               'world with `python tools/generate_world.py`')
    scenes = {}
    for name in sorted(f for f in os.listdir(ann_dir) if f.endswith('.png')):
        label = np.asarray(Image.open(osp.join(ann_dir, name)))
        values, counts = np.unique(label, return_counts=True)
        scenes[name] = ([
            int(v) for v, c in zip(values, counts)
            if 0 < v < len(WORLD_CLASSES) and c >= MIN_PIXELS
        ], set(values.tolist()))
    return scenes


def _sample(split: str, name: str, values: List[int]) -> dict:
    return dict(
        image=f'img_dir/{split}/{name}',
        phrase=' and '.join(f'a {WORLD_CLASSES[v]}' for v in values),
        mask=f'ann_dir/{split}/{name}' if values else None,
        values=values or None)


def _train_lines(scenes: Dict, unseen_values: set) -> List[dict]:
    lines = []
    for name, (values, present) in scenes.items():
        if unseen_values & present:  # inductive: not one pixel of them
            continue
        groups = [[v] for v in values
                  ] + [list(p) for p in combinations(values, 2)]
        lines += [_sample('train', name, group) for group in groups]
    return lines


def _val_lines(scenes: Dict, split_values: set) -> List[dict]:
    lines = []
    for name, (values, _) in scenes.items():
        for v in sorted(split_values):
            line = _sample('val', name, [v] if v in values else [])
            line['phrase'] = f'a {WORLD_CLASSES[v]}'
            lines.append(line)
    return lines
