from .atomic_checkpoint_hook import AtomicCheckpointHook
from .rank_consistency_hook import RankConsistencyHook
from .run_isolation_hook import RunIsolationHook
from .train_iter_hook import TrainIterHook

__all__ = [
    'AtomicCheckpointHook', 'RankConsistencyHook', 'RunIsolationHook',
    'TrainIterHook'
]
