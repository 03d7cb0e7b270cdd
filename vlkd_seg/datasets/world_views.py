"""Two datasets drawn from the embedded world whose label sets differ and
overlap (SSIW's setting): ``a`` annotates the disc, square, triangle, ring
and cross, ``b`` the disc, "hoop" (its name of the ring), star, diamond and
bar; each leaves the other's own objects as background.

Written beside the world, ``root/views/{a,b}/``: label maps in the view's
own classes (``ann_dir/{train,val}``) and the scenes it holds
(``{train,val}.txt``). The training scenes are split between the views (a
takes the even ones, b the odd ones: no image is in both); each view
labels every validation scene its own way. The images stay the world's.
"""
import os
import os.path as osp
from functools import partial

import numpy as np
from PIL import Image

from vlkd_seg.utils.errors import MissingFileError
from .world_generator import build_once
from .world_scenes import WORLD_CLASSES

#: each view's classes, in its label order, named as it names them
WORLD_VIEWS = {
    'a': ('background', 'disc', 'square', 'triangle', 'ring', 'cross'),
    'b': ('background', 'disc', 'hoop', 'star', 'diamond', 'bar'),
}
#: the views' names of world classes that they name otherwise
WORLD_VIEW_NAMES = {'b': {'ring': 'hoop'}}


def write_world_views(root: str) -> str:
    """Write the views of the world at ``root`` unless they exist.

    Returns:
        str: The folder of the views, ``root/views``.
    """
    for index, name in enumerate(WORLD_VIEWS):
        spec = dict(
            view=name, classes=WORLD_VIEWS[name], views=len(WORLD_VIEWS))
        build_once(
            osp.join(root, 'views', name), spec,
            partial(_write_view, root, name, index))
    return osp.join(root, 'views')


def view_labels(name: str) -> np.ndarray:
    """``(256,)`` the label of view ``name`` of each world label (its
    background for the world classes it does not annotate)."""
    classes = WORLD_VIEWS[name]
    renamed = WORLD_VIEW_NAMES.get(name, {})
    lut = np.full(256, 255, dtype=np.uint8)
    for value, world_name in enumerate(WORLD_CLASSES):
        own = renamed.get(world_name, world_name)
        lut[value] = classes.index(own) if own in classes else 0
    return lut


def _write_view(root: str, name: str, index: int, folder: str) -> None:
    lut = view_labels(name)
    for split in ('train', 'val'):
        source = osp.join(root, 'ann_dir', split)
        if not osp.isdir(source):
            raise MissingFileError(
                f'{source} does not exist: generate the world with '
                '`python tools/generate_world.py`')
        files = sorted(f for f in os.listdir(source) if f.endswith('.png'))
        if split == 'train':
            files = files[index::len(WORLD_VIEWS)]
        out = osp.join(folder, 'ann_dir', split)
        os.makedirs(out)
        for file in files:
            label = np.asarray(Image.open(osp.join(source, file)))
            Image.fromarray(lut[label]).save(osp.join(out, file))
        with open(osp.join(folder, f'{split}.txt'), 'w') as f:
            f.writelines(osp.splitext(file)[0] + '\n' for file in files)
