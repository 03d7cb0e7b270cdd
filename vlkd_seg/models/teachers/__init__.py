from .clip_teacher import CLIPTeacher
from .preprocess import clip_input_size, clip_preprocess, drop_teacher
from .prompts import TEMPLATES

__all__ = [
    'CLIPTeacher', 'TEMPLATES', 'clip_input_size', 'clip_preprocess',
    'drop_teacher'
]
