from .world_clip import clip_preprocess, load_split, pretrain_world_clip

__all__ = ['clip_preprocess', 'load_split', 'pretrain_world_clip']
