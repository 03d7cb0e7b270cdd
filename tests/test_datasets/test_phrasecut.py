"""tools/convert_phrasecut.py: PhraseCut's polygons become the masks
PhraseMaskDataset reads, and a bad download gets one error line."""
import json
import os.path as osp
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from vlkd_seg.datasets.phrasecut import convert_phrasecut
from vlkd_seg.utils.errors import ConfigError, MissingFileError
from ..conftest import REPO

TASKS = [
    # two instances: a square and a triangle
    dict(
        task_id='7__1',
        image_id=7,
        phrase='white sign',
        Polygons=[[[[1, 1], [4, 1], [4, 4], [1, 4]]],
                  [[[10, 0], [12, 0], [10, 2]]]],
        instance_boxes=[]),
]


def _phrasecut(root, tasks=TASKS):
    (root / 'images').mkdir(parents=True)
    Image.fromarray(np.zeros((6, 14, 3),
                             np.uint8)).save(root / 'images' / '7.jpg')
    (root / 'refer_miniv.json').write_text(json.dumps(tasks))


def test_each_task_is_a_line_and_its_polygons_one_mask(tmp_path):
    _phrasecut(tmp_path / 'pc')
    path = convert_phrasecut(
        str(tmp_path / 'pc'), 'miniv', str(tmp_path / 'out'), progress=None)
    line, = [json.loads(s) for s in open(path)]
    assert line == dict(
        image='../pc/images/7.jpg',
        phrase='white sign',
        mask='masks/miniv/7__1.png')
    mask = np.asarray(Image.open(tmp_path / 'out' / line['mask']))
    assert mask.shape == (6, 14) and set(np.unique(mask)) == {0, 255}
    assert (mask[1:5, 1:5] == 255).all() and mask[0, 10] == 255
    assert mask[5, 5] == 0 and mask[3, 12] == 0


def test_the_tool_says_what_is_missing_in_one_line(tmp_path):
    done = subprocess.run([
        sys.executable,
        osp.join(REPO, 'tools', 'convert_phrasecut.py'),
        str(tmp_path), '--splits', 'val'
    ],
                          capture_output=True,
                          text=True)
    assert done.returncode == 1
    assert done.stderr.startswith('error: ') and 'refer_val.json' in \
        done.stderr and 'Traceback' not in done.stderr


def test_a_task_without_polygons_or_its_image_is_refused(tmp_path):
    _phrasecut(tmp_path / 'a', [{
        k: v
        for k, v in TASKS[0].items() if k != 'Polygons'
    }])
    with pytest.raises(ConfigError, match='Polygons'):
        convert_phrasecut(str(tmp_path / 'a'), 'miniv', progress=None)
    _phrasecut(tmp_path / 'b', [dict(TASKS[0], image_id=8)])
    with pytest.raises(MissingFileError, match='8.jpg'):
        convert_phrasecut(str(tmp_path / 'b'), 'miniv', progress=None)
