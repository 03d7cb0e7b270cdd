from .atomic_local_backend import AtomicLocalBackend, use_atomic_local_backend
from .hooks import AtomicCheckpointHook, RankConsistencyHook, RunIsolationHook

__all__ = [
    'AtomicCheckpointHook', 'AtomicLocalBackend', 'RankConsistencyHook',
    'RunIsolationHook', 'use_atomic_local_backend'
]
