"""The user's inference API: any vocabulary, any images."""
from .cross_dataset import evaluate_on_dataset
from .inference import expand_inputs, init_segmenter, segment, set_vocabulary
from .outputs import (outputs_complete, write_prompt_masks, write_segmentation)
from .overlay import draw_overlay, label_fractions
from .palette import class_palette
from .prompts import encode_prompts, prompt_masks, segment_prompts
from .pseudo_masks import (build_tag_model, pseudo_mask_loader,
                           score_pseudo_masks, write_pseudo_masks)

__all__ = [
    'build_tag_model', 'class_palette', 'draw_overlay', 'encode_prompts',
    'expand_inputs', 'init_segmenter', 'label_fractions', 'prompt_masks',
    'pseudo_mask_loader', 'score_pseudo_masks', 'segment', 'segment_prompts',
    'set_vocabulary', 'write_pseudo_masks', 'outputs_complete',
    'write_prompt_masks', 'write_segmentation', 'evaluate_on_dataset'
]
