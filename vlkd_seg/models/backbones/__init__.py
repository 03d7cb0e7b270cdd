from .prompted_clip_vit import PromptedCLIPViT

__all__ = ['PromptedCLIPViT']
