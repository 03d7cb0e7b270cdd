"""Recipe files follow mmseg's naming: ``{algorithm}_{backbones}_{crop}_
{schedule}_{dataset}.py``, with the crop and schedule the recipe sets."""
import glob
import os.path as osp
import re

import pytest
from mmengine.config import Config

from ..conftest import REPO

# recipes that train a segmentor on a real dataset
TRAINED = sorted(
    glob.glob(osp.join(REPO, 'configs', 'kd', '*_*x*_*k_*.py')) +
    glob.glob(osp.join(REPO, 'configs', 'maskclip_plus', '*', '*.py')) +
    glob.glob(osp.join(REPO, 'configs', 'zegclip', '*.py')) +
    glob.glob(osp.join(REPO, 'configs', 'clipseg', '*_*x*_*k_*.py')))
NAME = re.compile(r'^(?P<algorithm>[a-z0-9-]+)_(?P<backbones>[a-z0-9-_]+?)_'
                  r'(?P<h>\d+)x(?P<w>\d+)_(?P<iters>\d+)k_'
                  r'(?P<dataset>[a-z0-9-]+)\.py$')
ALIASES = {'maskclip_plus_ade20k.py'}


def test_every_segmentation_recipe_is_named_as_mmseg_names_them():
    names = [
        osp.basename(p)
        for d in ('kd', 'maskclip', 'maskclip_plus/*', 'zegclip', 'clipseg',
                  'demo')
        for p in glob.glob(osp.join(REPO, 'configs', d, '*.py'))
    ]
    assert len(names) > 30
    for name in set(names) - ALIASES:
        # algorithm first, dataset last, fields joined by '_' and words by
        # '-' (no 'maskclip_plus' spelling)
        assert re.fullmatch(r'[a-z0-9-]+(_[a-z0-9-]+)+\.py', name), name
        assert 'maskclip_plus' not in name, name
    trained = {osp.basename(p) for p in TRAINED}
    assert trained - ALIASES == {n for n in names if NAME.match(n)}


@pytest.mark.parametrize('path', TRAINED, ids=osp.basename)
def test_crop_and_schedule_in_the_name_are_the_recipes(path):
    fields = NAME.match(osp.basename(path))
    assert fields, path
    cfg = Config.fromfile(path)
    assert tuple(cfg.crop_size) == (int(fields['h']), int(fields['w']))
    assert cfg.train_cfg.max_iters == int(fields['iters']) * 1000
