"""Scenes of the project's embedded synthetic world.

Each scene is a small RGB image of one to three objects on a textured
background. The eight object classes differ in shape, colour and texture, so
that a CLIP trained on captions of such scenes can tell them apart. Every
image comes with a pixel mask (0 = background, ``i`` = ``WORLD_CLASSES[i]``)
and a caption naming the objects present.
"""
from typing import Tuple

import numpy as np

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
