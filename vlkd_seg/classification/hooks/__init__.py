from .teacher_feature_hook import TeacherFeatureHook

__all__ = ['TeacherFeatureHook']
