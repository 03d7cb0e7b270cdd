from typing import List, Sequence

from mmseg.registry import MODELS
from torch import Tensor

from vlkd_seg.utils.errors import ConfigError
from .label_batch import LabelBatch

REFINERS = 'PromptDenoising, KeySmoothing, AttentionAffinity, LocalCRF'


def build_refiners(cfgs: Sequence[dict],
                   owner: str,
                   pixels: bool = True) -> List[object]:
    """Build refiners from their configs, in order, checking each is one.

    Args:
        cfgs (Sequence[dict]): Refiner configs (registered types).
        owner (str): Who refines, for the error message.
        pixels (bool): Whether ``owner`` has the images' pixels (a
            ``LocalCRF`` needs them).
    """
    if isinstance(cfgs, (str, dict)) or not isinstance(cfgs, Sequence):
        raise ConfigError(f'{owner} refiners must be a list of refiner '
                          f'configs ({REFINERS}), got {cfgs!r}')
    refiners = [MODELS.build(cfg) for cfg in cfgs]
    for refiner in refiners:
        name = type(refiner).__name__
        if not hasattr(refiner, 'refine'):
            raise ConfigError(f'{name} is not a refiner: use one of '
                              f'{REFINERS}')
        if refiner.needs_pixels and not pixels:
            raise ConfigError(f'{name} refines with the image\'s pixels, '
                              f'which {owner} does not see: use it in a '
                              "distiller's TeacherLabeller")
    return refiners


def refine(logits: Tensor, refiners: Sequence[object],
           batch: LabelBatch) -> Tensor:
    """``(N, C, h, w)`` log-probabilities of ``softmax(logits)`` changed by
    ``refiners`` in order (what a teacher labeller and a refining
    ``MaskCLIPSegmentor`` both do)."""
    probs = logits.float().softmax(dim=1)
    for refiner in refiners:
        probs = refiner.refine(probs, batch)
    return probs.clamp_min(1e-30).log()


def need_keys(refiners: Sequence[object]) -> bool:
    """Whether a refiner reads the teacher's last-block keys."""
    return any(r.needs_keys for r in refiners)
