"""A vocabulary whose "background" text is nearly parallel to a seen
class's: the warning names the pair, and a learned background embedding
gives that class back to the student."""
import json
import os.path as osp

import pytest
from mmengine.runner import Runner

from vlkd_seg.demo import world_run_config
from ..conftest import REPO

ORACLE = osp.join(REPO, 'configs', 'demo',
                  'oracle_fcn-r18-tiny_synthetic-world.py')
# "bar background" is 0.94-parallel to "bar" for the world's CLIP
NAMES = [
    'bar background', 'disc', 'square', 'triangle', 'ring', 'cross', 'star',
    'diamond', 'bar'
]


def _bar_iou(world, learned, work_dir):
    cfg = world_run_config(ORACLE, str(work_dir), world['world'],
                           world['teacher'], 400)
    cfg.model.class_names = NAMES
    if learned:
        cfg.model.student.classifier = dict(background_idx=0)
    cfg.train_cfg.val_interval = 400
    cfg.test_evaluator.per_class_file = str(work_dir / 'classes.json')
    runner = Runner.from_cfg(cfg)
    runner.train()
    runner.test()
    classes = json.loads((work_dir / 'classes.json').read_text())['classes']
    return next(c['IoU'] for c in classes if c['Class'] == 'bar')


def test_learned_background_frees_the_class_that_shares_its_text(
        reduced_world, tmp_path):
    with pytest.warns(UserWarning, match="'bar background' ~ 'bar'"):
        frozen = _bar_iou(reduced_world, False, tmp_path / 'frozen')
    learned = _bar_iou(reduced_world, True, tmp_path / 'learned')
    # the learned embedding must buy "bar" a clear gain: at least half of
    # the gains measured over seeds 0, 1, 2 (+14.4, +17.3, +9.2)
    assert learned >= frozen + 7, (frozen, learned)
