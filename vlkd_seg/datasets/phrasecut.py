"""PhraseCut (Wu et al., CVPR 2020) as ``PhraseMaskDataset`` reads it.

PhraseCut's ``refer_{split}.json`` lists tasks: ``task_id``, ``image_id``
(``images/{image_id}.jpg``), ``phrase`` and ``Polygons`` (per instance a
list of polygons, each a list of ``[x, y]`` points). Each task becomes one
JSON line; its instances' polygons are filled into one mask PNG.
"""
import io
import json
import os.path as osp
from typing import Callable, List, Optional

from PIL import Image, ImageDraw

from vlkd_seg.utils.errors import ConfigError, MissingFileError
from vlkd_seg.utils.io import write_atomically

_KEYS = ('task_id', 'image_id', 'phrase', 'Polygons')


def convert_phrasecut(root: str,
                      split: str,
                      out: Optional[str] = None,
                      progress: Optional[Callable[[str], None]] = print
                      ) -> str:
    """Write ``out/{split}.jsonl`` and ``out/masks/{split}/{task}.png``.

    Masks already written are kept, so an interrupted conversion resumes;
    the JSON-lines file is written last, whole.

    Args:
        root (str): PhraseCut's folder (``refer_{split}.json``,
            ``images/``).
        split (str): ``train``, ``val``, ``test`` or ``miniv``.
        out (str, optional): Output folder (``data_root`` of the
            dataset); defaults to ``root``.
        progress (callable, optional): Called with progress messages.

    Returns:
        str: The JSON-lines file.
    """
    out = out or root
    tasks = _read_tasks(osp.join(root, f'refer_{split}.json'))
    lines = []
    for number, task in enumerate(tasks, 1):
        lines.append(_convert(task, root, out, split))
        if progress and (number % 1000 == 0 or number == len(tasks)):
            progress(f'PhraseCut {split}: {number} / {len(tasks)} masks')
    path = osp.join(out, f'{split}.jsonl')
    write_atomically(''.join(json.dumps(line) + '\n' for line in lines), path)
    return path


def _read_tasks(path: str) -> List[dict]:
    if not osp.isfile(path):
        raise MissingFileError(
            f'{path} does not exist: download PhraseCut (refer_*.json and '
            'images/, github.com/ChenyunWu/PhraseCutDataset) into its folder')
    with open(path) as f:
        tasks = json.load(f)
    if not isinstance(tasks, list) or any(
            not isinstance(t, dict) or set(_KEYS) - set(t) for t in tasks):
        raise ConfigError(f'{path} is not a PhraseCut refer file: a list of '
                          f'tasks with {", ".join(_KEYS)}')
    return tasks


def _convert(task: dict, root: str, out: str, split: str) -> dict:
    image = osp.join(root, 'images', f'{task["image_id"]}.jpg')
    if not osp.isfile(image):
        raise MissingFileError(
            f'{image} (task {task["task_id"]}) does not exist: PhraseCut\'s '
            'images come from Visual Genome; put them in images/')
    mask = osp.join('masks', split, f'{task["task_id"]}.png')
    if not osp.isfile(osp.join(out, mask)):
        write_atomically(_mask_png(task['Polygons'], image),
                         osp.join(out, mask))
    return dict(
        image=osp.relpath(image, out), phrase=task['phrase'], mask=mask)


def _mask_png(instances: list, image: str) -> bytes:
    """The instances' polygons filled (255) on an image-sized PNG."""
    with Image.open(image) as img:
        size = img.size
    mask = Image.new('L', size, 0)
    draw = ImageDraw.Draw(mask)
    for polygons in instances:
        for polygon in polygons:
            if len(polygon) >= 3:
                draw.polygon([tuple(map(float, p)) for p in polygon],
                             fill=255)
    buffer = io.BytesIO()
    mask.save(buffer, format='PNG')
    return buffer.getvalue()
