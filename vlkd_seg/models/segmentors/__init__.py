from .maskclip_segmentor import MaskCLIPSegmentor

__all__ = ['MaskCLIPSegmentor']
