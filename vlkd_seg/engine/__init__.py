from .hooks import AtomicCheckpointHook, RankConsistencyHook, RunIsolationHook

__all__ = ['AtomicCheckpointHook', 'RankConsistencyHook', 'RunIsolationHook']
