from .hooks import (AtomicCheckpointHook, RandomStateHook, RankConsistencyHook,
                    RunIsolationHook, TrainIterHook)
from .loops import ExactResumeIterBasedTrainLoop

__all__ = [
    'AtomicCheckpointHook', 'ExactResumeIterBasedTrainLoop', 'RandomStateHook',
    'RankConsistencyHook', 'RunIsolationHook', 'TrainIterHook'
]
