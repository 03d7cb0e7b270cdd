from .hooks import (AtomicCheckpointHook, LabelSpacesHook, RandomStateHook,
                    RankConsistencyHook, RunIsolationHook, TrainIterHook)
from .loops import (ExactResumeEpochBasedTrainLoop,
                    ExactResumeIterBasedTrainLoop)
from .vis_backends import AtomicLocalVisBackend

__all__ = [
    'AtomicCheckpointHook', 'AtomicLocalVisBackend', 'LabelSpacesHook',
    'ExactResumeEpochBasedTrainLoop', 'ExactResumeIterBasedTrainLoop',
    'RandomStateHook', 'RankConsistencyHook', 'RunIsolationHook',
    'TrainIterHook'
]
