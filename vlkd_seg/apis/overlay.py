"""Overlays of label maps with a legend of the classes found."""
from typing import List, Sequence, Tuple

import numpy as np
from PIL import Image, ImageDraw, ImageFont
from PIL.PngImagePlugin import PngInfo

_SWATCH = 14  # legend swatch side, pixels
_ROW = 18  # legend row height, pixels
_MIN_SIDE = 192  # smaller images are drawn enlarged


def label_fractions(labels: np.ndarray,
                    names: Sequence[str]) -> List[Tuple[int, str, float]]:
    """``(index, name, share of pixels)`` of the classes present in the
    ``(H, W)`` label map, most frequent first."""
    counts = np.bincount(labels.ravel(), minlength=len(names))
    total = max(int(labels.size), 1)
    present = [(int(i), names[i], float(counts[i]) / total)
               for i in np.flatnonzero(counts[:len(names)])]
    return sorted(present, key=lambda item: -item[2])


def draw_overlay(image: np.ndarray,
                 labels: np.ndarray,
                 names: Sequence[str],
                 palette: Sequence[Sequence[int]],
                 opacity: float = 0.5) -> Tuple[Image.Image, PngInfo]:
    """The image with its label map blended in and a legend on the right.

    Args:
        image (np.ndarray): ``(H, W, 3)`` RGB ``uint8``.
        labels (np.ndarray): ``(H, W)`` class indices.
        names (Sequence[str]): Class names, in label order.
        palette (Sequence): RGB colour per class.
        opacity (float): Weight of the colours over the image.

    Returns:
        tuple: The overlay (images under 192 pixels a side enlarged by a
        whole factor), and PNG text metadata whose ``legend`` lists
        the classes drawn in the legend (``;``-separated), for saving with
        ``overlay.save(path, pnginfo=info)``.
    """
    scale = max(1, _MIN_SIDE // max(min(labels.shape), 1))
    if scale > 1:  # small images: enlarge (nearest) so the legend reads
        image = image.repeat(scale, 0).repeat(scale, 1)
        labels = labels.repeat(scale, 0).repeat(scale, 1)
    colours = np.asarray(palette, dtype=np.float32)[labels]
    blended = (1 - opacity) * image.astype(np.float32) + opacity * colours
    present = label_fractions(labels, names)
    legend = _legend(present, palette, image.shape[0])
    canvas = Image.new(
        'RGB',
        (image.shape[1] + legend.width, max(image.shape[0], legend.height)),
        'white')
    canvas.paste(Image.fromarray(blended.round().astype(np.uint8)), (0, 0))
    canvas.paste(legend, (image.shape[1], 0))
    info = PngInfo()
    info.add_text('legend', ';'.join(name for _, name, _ in present))
    return canvas, info


def _legend(present, palette, height: int) -> Image.Image:
    font = ImageFont.load_default()
    lines = [f'{name} {_percent(share)}' for _, name, share in present]
    width = _SWATCH + 8 + max([int(font.getlength(line))
                               for line in lines] + [0]) + 6
    legend = Image.new('RGB', (width, max(height,
                                          _ROW * len(lines) + 4)), 'white')
    draw = ImageDraw.Draw(legend)
    for row, ((index, _, _), line) in enumerate(zip(present, lines)):
        top = 2 + row * _ROW
        draw.rectangle([4, top, 4 + _SWATCH, top + _SWATCH],
                       fill=tuple(palette[index]))
        draw.text((_SWATCH + 8, top), line, fill='black', font=font)
    return legend


def _percent(share: float) -> str:
    """``'81%'``; ``'<1%'`` for a class that is present but tiny."""
    return '<1%' if 0 < share < 0.005 else f'{share:.0%}'
