from .world_clip import (clip_preprocess, ensure_world_clip, load_split,
                         pretrain_world_clip)

__all__ = [
    'clip_preprocess', 'ensure_world_clip', 'load_split', 'pretrain_world_clip'
]
