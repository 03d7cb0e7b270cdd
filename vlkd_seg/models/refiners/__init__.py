from .attention_affinity import AttentionAffinity
from .build import build_refiners, need_keys, refine
from .key_smoothing import KeySmoothing, key_smoothing
from .label_batch import LabelBatch
from .local_crf import LocalCRF
from .prompt_denoising import PromptDenoising, prompt_denoising

__all__ = [
    'AttentionAffinity', 'KeySmoothing', 'LabelBatch', 'LocalCRF',
    'PromptDenoising', 'build_refiners', 'key_smoothing', 'need_keys',
    'prompt_denoising', 'refine'
]
