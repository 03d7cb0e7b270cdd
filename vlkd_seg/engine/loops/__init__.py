from .exact_resume_loop import ExactResumeIterBasedTrainLoop

__all__ = ['ExactResumeIterBasedTrainLoop']
