from .last_evaluations_hook import LastEvaluationsHook
from .teacher_feature_hook import TeacherFeatureHook

__all__ = ['LastEvaluationsHook', 'TeacherFeatureHook']
