from .segmentors import MaskCLIPSegmentor
from .teachers import CLIPTeacher

__all__ = ['CLIPTeacher', 'MaskCLIPSegmentor']
