"""Deterministic generator of the project's embedded synthetic world.

Each scene is a small RGB image of one to three objects on a textured
background. The eight object classes differ in shape, colour and texture, so
that a CLIP trained on captions of such scenes can tell them apart. Every
image comes with a pixel mask (0 = background, ``i`` = ``WORLD_CLASSES[i]``)
and a caption naming the objects present.

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
from typing import Callable, Dict, Optional, Sequence, Tuple

import numpy as np
from PIL import Image

WORLD_CLASSES = ('background', 'disc', 'square', 'triangle', 'ring', 'cross',
                 'star', 'diamond', 'bar')
WORLD_PALETTE = [[0, 0, 0], [220, 40, 40], [40, 80, 220], [40, 180, 60],
                 [230, 200, 40], [200, 50, 200], [240, 130, 30],
                 [40, 200, 210], [150, 90, 40]]
# texture of each object class, index aligned with WORLD_CLASSES[1:]
_TEXTURES = ('solid', 'hstripes', 'solid', 'checker', 'solid', 'dots', 'solid',
             'vstripes')


def _shape_mask(name: str, yy: np.ndarray, xx: np.ndarray,
                r: float) -> np.ndarray:
    """Boolean mask of shape ``name`` of radius ``r`` on centred grids."""
    dist = np.sqrt(yy**2 + xx**2)
    if name == 'disc':
        return dist <= r
    if name == 'square':
        return (np.abs(xx) <= 0.8 * r) & (np.abs(yy) <= 0.8 * r)
    if name == 'triangle':
        return (yy <= 0.8 * r) & (np.abs(xx) <= (yy + r) / 1.8)
    if name == 'ring':
        return (dist <= r) & (dist >= 0.55 * r)
    if name == 'cross':
        arm = 0.3 * r
        return (((np.abs(xx) <= arm) & (np.abs(yy) <= r)) |
                ((np.abs(yy) <= arm) & (np.abs(xx) <= r)))
    if name == 'star':
        theta = np.arctan2(yy, xx)
        return dist <= r * (0.55 + 0.45 * np.cos(5 * theta))
    if name == 'diamond':
        return np.abs(xx) + np.abs(yy) <= r
    if name == 'bar':
        return (np.abs(xx) <= r) & (np.abs(yy) <= 0.35 * r)
    raise ValueError(f'unknown shape {name!r}')


def _texture(name: str, yy: np.ndarray, xx: np.ndarray) -> np.ndarray:
    """Brightness factor in [0.6, 1] of texture ``name`` on integer grids."""
    if name == 'hstripes':
        pattern = (yy // 2) % 2
    elif name == 'vstripes':
        pattern = (xx // 2) % 2
    elif name == 'checker':
        pattern = ((yy // 3) + (xx // 3)) % 2
    elif name == 'dots':
        pattern = ((yy % 4 == 0) & (xx % 4 == 0)).astype(np.int64)
    else:
        pattern = np.zeros_like(yy)
    return 1.0 - 0.4 * pattern


def _background(rng: np.random.Generator, size: int) -> np.ndarray:
    """A muted, smoothly shaded and noisy background, ``(size, size, 3)``."""
    base = rng.uniform(40, 140, size=3)
    ramp = np.linspace(-1, 1, size)
    direction = rng.uniform(-25, 25, size=2)
    shade = ramp[:, None] * direction[0] + ramp[None, :] * direction[1]
    noise = rng.normal(0, 8, size=(size, size, 3))
    return base[None, None, :] + shade[..., None] + noise


def make_scene(seed: int,
               size: int = 64,
               max_objects: int = 3) -> Tuple[np.ndarray, np.ndarray]:
    """Render one scene.

    Args:
        seed (int): Seed of this scene; the same seed gives the same scene.
        size (int): Height and width in pixels.
        max_objects (int): Scenes hold 1 to ``max_objects`` objects.

    Returns:
        tuple[np.ndarray, np.ndarray]: ``uint8`` image ``(size, size, 3)``
        and ``uint8`` label map ``(size, size)``.
    """
    rng = np.random.default_rng(seed)
    image = _background(rng, size)
    label = np.zeros((size, size), dtype=np.uint8)
    yy, xx = np.mgrid[0:size, 0:size]
    n_objects = rng.integers(1, max_objects + 1)
    classes = rng.choice(
        np.arange(1, len(WORLD_CLASSES)), n_objects, replace=False)
    for cls in classes:
        radius = rng.uniform(0.16, 0.3) * size
        cy, cx = rng.uniform(radius * 0.7, size - radius * 0.7, size=2)
        mask = _shape_mask(WORLD_CLASSES[cls], yy - cy, xx - cx, radius)
        colour = np.asarray(WORLD_PALETTE[cls], float) * rng.uniform(0.85, 1)
        shaded = colour[None, None, :] * _texture(_TEXTURES[cls - 1], yy,
                                                  xx)[..., None]
        image[mask] = shaded[mask]
        label[mask] = cls
    image = np.clip(image + rng.normal(0, 4, image.shape), 0, 255)
    return image.astype(np.uint8), label


def caption(label: np.ndarray, min_pixels: int = 8) -> str:
    """Caption naming the objects visible in ``label`` (in class order)."""
    ids, counts = np.unique(label, return_counts=True)
    names = [
        WORLD_CLASSES[i] for i, c in zip(ids, counts)
        if i != 0 and c >= min_pixels
    ]
    if not names:
        return 'a photo of nothing.'
    return 'a photo of ' + ' and '.join(f'a {n}' for n in names) + '.'


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

    return _build_once(root, spec, write)


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

    return _build_once(root, spec, write)


def _build_once(root: str, spec: dict, write: Callable[[str], None]) -> str:
    """Run ``write(tmp)`` into a temporary folder and move it to ``root``,
    unless ``root`` already holds the output of ``spec``."""
    spec_file = osp.join(root, 'world.json')
    if osp.isfile(spec_file):
        with open(spec_file) as f:
            if json.load(f) == json.loads(json.dumps(spec)):
                return root
        raise FileExistsError(
            f'{root} holds a synthetic world made with other settings; '
            'delete it or choose another folder.')
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
