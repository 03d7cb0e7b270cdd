from .clip_teacher import CLIPTeacher
from .distinct_classes import indistinct_pairs, warn_indistinct_classes
from .frozen import exclude_teacher_from_checkpoints
from .learned_prompts import LearnedPrompts, build_learned_prompts
from .preprocess import clip_input_size, clip_preprocess
from .prompts import TEMPLATES
from .region_classifier import CLIPRegionClassifier

__all__ = [
    'CLIPRegionClassifier', 'CLIPTeacher', 'LearnedPrompts', 'TEMPLATES',
    'build_learned_prompts', 'clip_input_size', 'clip_preprocess',
    'exclude_teacher_from_checkpoints', 'indistinct_pairs',
    'warn_indistinct_classes'
]
