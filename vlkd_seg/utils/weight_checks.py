"""Weight files a run reads: present and local before anything starts."""
import os.path as osp

from mmengine.config import Config

from .config_nodes import find_type
from .errors import (CLIPSEG_WEIGHTS_HINT, WEIGHTS_HINT, MissingFileError,
                     UserError)


def check_weight_files(cfg: Config) -> None:
    """Raise :class:`UserError` for weights that are missing or remote; a
    missing teacher checkpoint's hint is the config's
    ``missing_weights_hint``, else how to fetch CLIP weights.

    Covers CLIP teacher checkpoints, a ``SegmentorLabeller``'s recipe and
    weights and ``init_cfg=dict(type='Pretrained')`` files: nothing is
    downloaded at run time.
    """
    for teacher in find_type(cfg.get('model'), 'CLIPTeacher'):
        ckpt = teacher.get('checkpoint')
        if ckpt and not osp.isfile(osp.expanduser(ckpt)):
            hint = cfg.get('missing_weights_hint', WEIGHTS_HINT)
            raise MissingFileError(
                f'teacher checkpoint {ckpt} does not exist. {hint}')
    for clipseg in find_type(cfg.get('model'), 'CLIPSeg'):
        folder = clipseg.get('weights')
        if folder and not osp.isfile(
                osp.join(osp.expanduser(folder), 'config.json')):
            raise MissingFileError(f'CLIPSeg weights {folder} are missing: '
                                   f'{CLIPSEG_WEIGHTS_HINT}')
    for labeller in find_type(cfg.get('model'), 'SegmentorLabeller'):
        for key in ('config', 'checkpoint'):
            path = str(labeller.get(key, ''))
            if not osp.isfile(osp.expanduser(path)):
                raise MissingFileError(
                    f'SegmentorLabeller {key} {path} does not exist: train '
                    'the segmentor that labels first (python tools/train.py '
                    'ITS_CONFIG), then point config and checkpoint at its '
                    'work dir.')
    for init in find_type(cfg.get('model'), 'Pretrained'):
        ckpt = str(init.get('checkpoint', ''))
        if '://' in ckpt:
            raise UserError(f'init_cfg checkpoint {ckpt} would be downloaded'
                            '; fetch it once elsewhere and point init_cfg at '
                            'the local file.')
        if ckpt and not osp.isfile(osp.expanduser(ckpt)):
            raise UserError(
                f'pretrained weights {ckpt} do not exist; put the file there '
                '(README "Real weights and datasets") or pass --cfg-options '
                '...init_cfg.checkpoint=PATH.')
