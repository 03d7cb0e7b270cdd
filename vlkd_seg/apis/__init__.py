from .world_clip import (clip_preprocess, ensure_world_clip, load_split,
                         pretrain_world_clip)
from .world_run import world_run_config

__all__ = [
    'clip_preprocess', 'ensure_world_clip', 'load_split',
    'pretrain_world_clip', 'world_run_config'
]
