from .synthetic_world import SyntheticWorldDataset
from .world_generator import (WORLD_CLASSES, WORLD_PALETTE, generate_world,
                              make_scene)

__all__ = [
    'SyntheticWorldDataset', 'WORLD_CLASSES', 'WORLD_PALETTE',
    'generate_world', 'make_scene'
]
