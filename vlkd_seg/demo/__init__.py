"""The embedded world's plumbing for the demo tools: pretraining its CLIP
teacher and pointing world recipes at the cached data. Not a user API."""
from .world_clip import (clip_preprocess, ensure_world_clip, load_split,
                         pretrain_world_clip)
from .world_run import world_run_config

__all__ = [
    'clip_preprocess', 'ensure_world_clip', 'load_split',
    'pretrain_world_clip', 'world_run_config'
]
