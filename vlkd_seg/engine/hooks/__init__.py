from .atomic_checkpoint_hook import AtomicCheckpointHook
from .rank_consistency_hook import RankConsistencyHook

__all__ = ['AtomicCheckpointHook', 'RankConsistencyHook']
