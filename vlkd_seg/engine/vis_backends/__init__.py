from .atomic_local_vis_backend import AtomicLocalVisBackend

__all__ = ['AtomicLocalVisBackend']
