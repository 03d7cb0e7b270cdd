"""Where the embedded world lives: the one source of its cache paths.

The world's configs (``configs/_base_/datasets/synthetic_world.py``,
``configs/_base_/models/world_clip_teacher.py``) spell the same paths out
as ``{{$VLKD_CACHE:~/.cache/vlkd_seg}}/...``; Python code asks here.
"""
import os.path as osp
from typing import Optional

from vlkd_seg.utils.io import cache_root

#: Architecture of the world CLIP teacher (an open_clip model config).
WORLD_CLIP_CONFIG = osp.abspath(
    osp.join(
        osp.dirname(__file__), '..', '..', 'configs', 'demo',
        'world_clip_rn.json'))
#: The world's ViT CLIP (8 px patches on 64 px scenes), for ZegCLIP.
WORLD_CLIP_VIT_CONFIG = osp.join(
    osp.dirname(WORLD_CLIP_CONFIG), 'world_clip_vit.json')


def _cache(cache: Optional[str]) -> str:
    return osp.expanduser(cache) if cache else cache_root()


def world_root(cache: Optional[str] = None) -> str:
    """Folder of the synthetic world's scenes (segmentation layout).

    Args:
        cache (str, optional): Cache folder; defaults to
            :func:`~vlkd_seg.utils.io.cache_root`. The same holds for the
            other functions here.
    """
    return osp.join(_cache(cache), 'synthetic_world')


def world_objects_root(cache: Optional[str] = None) -> str:
    """Folder of the world's single-object scenes (classification)."""
    return osp.join(_cache(cache), 'world_objects')


def world_clip_checkpoint(cache: Optional[str] = None,
                          arch: str = 'rn') -> str:
    """Weights of the world CLIP teacher (``arch`` ``'rn'`` or ``'vit'``).
    """
    return osp.join(_cache(cache), 'world_clip', f'world_clip_{arch}.pt')
