from .hooks import (AtomicCheckpointHook, RankConsistencyHook,
                    RunIsolationHook, TrainIterHook)

__all__ = [
    'AtomicCheckpointHook', 'RankConsistencyHook', 'RunIsolationHook',
    'TrainIterHook'
]
