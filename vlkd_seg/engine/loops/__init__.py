from .exact_resume_epoch_loop import ExactResumeEpochBasedTrainLoop
from .exact_resume_loop import ExactResumeIterBasedTrainLoop

__all__ = ['ExactResumeEpochBasedTrainLoop', 'ExactResumeIterBasedTrainLoop']
