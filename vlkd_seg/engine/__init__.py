from .hooks import (AtomicCheckpointHook, RandomStateHook, RankConsistencyHook,
                    RunIsolationHook, TrainIterHook)
from .loops import (ExactResumeEpochBasedTrainLoop,
                    ExactResumeIterBasedTrainLoop)
from .vis_backends import AtomicLocalVisBackend

__all__ = [
    'AtomicCheckpointHook', 'AtomicLocalVisBackend',
    'ExactResumeEpochBasedTrainLoop', 'ExactResumeIterBasedTrainLoop',
    'RandomStateHook', 'RankConsistencyHook', 'RunIsolationHook',
    'TrainIterHook'
]
