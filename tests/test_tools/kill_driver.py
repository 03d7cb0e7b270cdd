"""Run ``tools/train.py`` and SIGKILL it at a chosen point of a save.

Usage: python kill_driver.py POINT FILENAME -- TRAIN_ARGS...

POINT is where the process kills itself while it saves FILENAME (e.g.
``iter_4.pth``):

* ``mid-write``: half of the checkpoint's bytes are on disk (in the
  temporary file), the rename has not happened;
* ``before-pointer``: the checkpoint is complete, ``last_checkpoint`` still
  names the previous one;
* ``after-pointer``: ``last_checkpoint`` names the new checkpoint, older
  ones have not been removed yet.
"""
import os
import os.path as osp
import runpy
import signal
import sys

POINT, TARGET = sys.argv[1], sys.argv[2]
TRAIN = osp.join(
    osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))), 'tools',
    'train.py')
_replace = os.replace


def _die():
    os.kill(os.getpid(), signal.SIGKILL)


def _names_target(pointer_file):
    with open(pointer_file) as f:
        return f.read().strip().endswith(TARGET)


def replace(src, dst):
    if POINT == 'mid-write' and dst.endswith(TARGET):
        with open(src, 'r+b') as f:
            f.truncate(osp.getsize(src) // 2)
        _die()
    pointer = osp.basename(dst) == 'last_checkpoint'
    if POINT == 'before-pointer' and pointer and _names_target(src):
        _die()
    _replace(src, dst)
    if POINT == 'after-pointer' and pointer and _names_target(dst):
        _die()


os.replace = replace
sys.argv = [TRAIN] + sys.argv[sys.argv.index('--') + 1:]
runpy.run_path(TRAIN, run_name='__main__')
