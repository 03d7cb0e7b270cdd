"""One forward of a text-classifier head with what a distiller reads of it.

A distiller needs more of the student head than its logits: the pixel
embeddings its text classifier compares with the teacher's features, and
the head's features before dropout for dropout-free self-training labels.
:func:`forward_with_embeddings` returns all three from one forward; nothing
stays on the head afterwards.
"""
from contextlib import contextmanager
from typing import Iterator, List, NamedTuple, Optional

from torch import Tensor, nn

from .text_classifier import TextClassifier


class HeadOutputs(NamedTuple):
    """What one forward of a text-classifier head produced.

    Attributes:
        logits (Tensor): ``(N, K, h, w)`` class logits.
        embeddings (Tensor): ``(N, D, h, w)`` unit pixel embeddings of
            the classifier's input (its projection, L2-normalised over D;
            the features themselves in ``'dot'`` mode).
        features (Tensor, optional): ``(N, C, h, w)`` head features before
            its dropout; None for a head without dropout.
    """
    logits: Tensor
    embeddings: Tensor
    features: Optional[Tensor]


def forward_with_embeddings(head: nn.Module, inputs) -> HeadOutputs:
    """Run ``head.forward(inputs)`` once and return :class:`HeadOutputs`.

    Args:
        head (nn.Module): A decode head whose ``conv_seg`` is a
            :class:`TextClassifier` (``TextClassifierHead``, ``LSegHead``).
        inputs: The head's input (backbone / neck features).
    """
    classifier: TextClassifier = head.conv_seg
    with _recorded(classifier) as classified, _recorded(
            getattr(head, 'dropout', None)) as pre_dropout:
        logits = head.forward(inputs)
    return HeadOutputs(logits, classifier.embed(classified[0]),
                       pre_dropout[0] if pre_dropout else None)


def classify_features(head: nn.Module, features: Tensor) -> Tensor:
    """Logits of :attr:`HeadOutputs.features` as the head makes them, but
    without its dropout (``head.classify`` where the head has one)."""
    return getattr(head, 'classify', head.conv_seg)(features)


@contextmanager
def _recorded(module: Optional[nn.Module]) -> Iterator[List[Tensor]]:
    """Collect the first inputs of ``module``'s forward calls inside the
    block; a None module records nothing."""
    records: List[Tensor] = []
    if module is None:
        yield records
        return
    handle = module.register_forward_pre_hook(
        lambda mod, args: records.append(args[0]))
    try:
        yield records
    finally:
        handle.remove()
