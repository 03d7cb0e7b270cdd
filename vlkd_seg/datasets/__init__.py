from .coco_object import COCOObjectDataset
from .inductive_dataset import InductiveDataset
from .label_spaces import LabelSpaces, unify_label_spaces
from .phrase_mask import PhraseMaskDataset
from .synthetic_world import SyntheticWorldDataset
from .unified_dataset import UnifiedDataset
from .transforms import (PHRASE_META_KEYS, TAG_META_KEYS, UNLABELED_INDEX,
                         ImageTags, LoadPhraseMask, check_label_range)
from .voc20 import PascalVOC20Dataset
from .voc_aug import PascalVOCAugDataset
from .world_generator import generate_world, generate_world_objects
from .world_scenes import WORLD_CLASSES, WORLD_PALETTE, make_scene

__all__ = [
    'COCOObjectDataset', 'ImageTags', 'InductiveDataset', 'LoadPhraseMask',
    'PHRASE_META_KEYS', 'PhraseMaskDataset', 'TAG_META_KEYS',
    'PascalVOC20Dataset', 'PascalVOCAugDataset', 'UNLABELED_INDEX',
    'check_label_range', 'SyntheticWorldDataset', 'WORLD_CLASSES',
    'WORLD_PALETTE', 'generate_world', 'generate_world_objects', 'make_scene',
    'LabelSpaces', 'UnifiedDataset', 'unify_label_spaces'
]
