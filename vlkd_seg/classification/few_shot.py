"""The few-shot images of the OOD classes (Li et al., 2023, 5-shot OOD).

The 5-shot stage fine-tunes the distilled student on X_train plus
``shots`` images of every OOD class taken from X_ood, then tests on the
rest of X_ood. The same images must be picked for training and left out
of testing, so they are chosen from each class's sorted image paths, the
first ``shots`` of them (the authors' release) or with a seeded generator:
the choice depends on the set of paths, not on the order or the other
classes of the dataset that holds them.
"""
import random
from collections import defaultdict
from typing import Dict, List, Optional, Sequence

from vlkd_seg.utils.errors import ConfigError


def pick_few_shot(infos: Sequence[dict],
                  classes: Sequence[int],
                  shots: int = 5,
                  seed: Optional[int] = 0) -> List[int]:
    """Indices of ``shots`` samples of each of ``classes``.

    Args:
        infos (Sequence[dict]): Samples with ``img_path`` and ``gt_label``.
        classes (Sequence[int]): The classes to draw from (the OOD ones);
            samples of other classes are never picked.
        shots (int): Samples per class.
        seed (int, optional): Seed of the draw; per class, ``seed`` and
            the class index seed the generator. None: the first ``shots``
            sorted paths of each class (the authors' release).

    Returns:
        list[int]: Sorted indices into ``infos``.

    Raises:
        ValueError: A class has fewer than ``shots`` samples.
    """
    if shots < 1:
        raise ConfigError(f'shots must be at least 1, got {shots}')
    by_class: Dict[int, List[int]] = defaultdict(list)
    for i, info in enumerate(infos):
        by_class[int(info['gt_label'])].append(i)
    picked = []
    for c in classes:
        members = sorted(by_class[c], key=lambda i: str(infos[i]['img_path']))
        if len(members) < shots:
            raise ConfigError(f'class {c} has {len(members)} images, fewer '
                              f'than the {shots} few-shot images to draw')
        picked += members[:shots] if seed is None else random.Random(
            f'{seed}/{c}').sample(members, shots)
    return sorted(picked)
