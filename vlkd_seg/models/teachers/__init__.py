from .clip_teacher import CLIPTeacher
from .prompts import TEMPLATES

__all__ = ['CLIPTeacher', 'TEMPLATES']
