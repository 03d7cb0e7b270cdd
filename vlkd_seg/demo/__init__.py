"""The embedded world's plumbing for the demo tools: its cache paths,
pretraining its CLIP teacher, pointing world recipes at the cached data and
the demo's figures and tables. Not a user API."""
from .figures import save_curves, save_overlays
from .paths import (WORLD_CLIP_CONFIG, WORLD_CLIP_VIT_CONFIG,
                    world_clip_checkpoint, world_objects_root, world_root)
from .results import KEYS, mean_std, report, summarise, val_curve
from .world_clip import (clip_preprocess, ensure_world_clip, load_split,
                         pretrain_world_clip)
from .world_run import world_run_config

__all__ = [
    'KEYS', 'WORLD_CLIP_CONFIG', 'WORLD_CLIP_VIT_CONFIG', 'clip_preprocess',
    'ensure_world_clip', 'load_split', 'mean_std', 'pretrain_world_clip',
    'report', 'save_curves', 'save_overlays', 'summarise', 'val_curve',
    'world_clip_checkpoint', 'world_objects_root', 'world_root',
    'world_run_config'
]
