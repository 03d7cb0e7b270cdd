from .teachers import CLIPTeacher

__all__ = ['CLIPTeacher']
