"""The user's inference API: any vocabulary, any images."""
from .inference import expand_inputs, init_segmenter, segment, set_vocabulary
from .overlay import draw_overlay, label_fractions
from .palette import class_palette

__all__ = [
    'class_palette', 'draw_overlay', 'expand_inputs', 'init_segmenter',
    'label_fractions', 'segment', 'set_vocabulary'
]
