from .atomic_local_backend import AtomicLocalBackend, use_atomic_local_backend
from .hooks import AtomicCheckpointHook, RankConsistencyHook

__all__ = [
    'AtomicCheckpointHook', 'AtomicLocalBackend', 'RankConsistencyHook',
    'use_atomic_local_backend'
]
