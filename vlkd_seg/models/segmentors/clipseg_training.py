"""How CLIPSeg conditions its training pairs, as the release does
(``training.py``): a random prompt template per phrase ("shuffle+") and the
text embedding mixed with a visual support's, ``w * text + (1 - w) *
support`` with ``w ~ U(low, high)`` per pair (zero-shot VOC: ``(0, 0.5)``).
"""
from typing import List, Optional, Sequence

import torch
from torch import Tensor, nn

from vlkd_seg.utils.errors import ConfigError

#: The release's 'shuffle+' prompt list (models/clipseg.py).
SHUFFLE_PLUS = ('a photo of a {}.', 'a photograph of a {}.',
                'an image of a {}.', '{}.', 'a cropped photo of a {}.',
                'a good photo of a {}.', 'a photo of one {}.',
                'a bad photo of a {}.', 'a photo of the {}.')


def check_train_cfg(train_cfg: Optional[dict]) -> dict:
    """``prompt_templates`` (strings with ``{}``) and ``text_weight`` (a
    range in [0, 1]) checked; defaults: the plain name, text only."""
    cfg = dict(train_cfg or {})
    unknown = set(cfg) - {'prompt_templates', 'text_weight'}
    if unknown:
        raise ConfigError(f'CLIPSeg train_cfg keys {sorted(unknown)} are not '
                          'prompt_templates or text_weight')
    templates = check_templates(
        list(cfg.get('prompt_templates', ['{}'])), 'prompt_templates')
    low, high = cfg.get('text_weight', (1., 1.))
    if not 0 <= low <= high <= 1:
        raise ConfigError(f'CLIPSeg text_weight ({low}, {high}) must be a '
                          'range within [0, 1]')
    return dict(prompt_templates=templates, text_weight=(low, high))


def check_templates(templates: List[str], key: str) -> List[str]:
    """``templates``, or a ConfigError unless each has one ``{}``."""
    if not templates or any(not isinstance(t, str) or t.count('{}') != 1
                            for t in templates):
        raise ConfigError(f'CLIPSeg {key} {templates!r}: give strings with '
                          'one {} for the class name or phrase')
    return templates


def _in_random_templates(model: nn.Module, words: Sequence[str]) -> Tensor:
    """``(len(words), D)`` each class name or phrase in a random template
    of ``train_cfg`` ("shuffle+"), embedded."""
    templates = model.train_settings['prompt_templates']
    picks = torch.randint(len(templates), (len(words), )).tolist()
    return model.encode_text(
        [templates[p].format(word) for p, word in zip(picks, words)])


def _text_weights(model: nn.Module, shape: Sequence[int],
                  like: Tensor) -> Tensor:
    """Weights of the text against its image prompt, drawn from
    ``U(text_weight)`` in ``shape``, as ``like``."""
    low, high = model.train_settings['text_weight']
    return low + (high - low) * torch.rand(*shape).to(like)


def training_conditions(model: nn.Module, inputs: Tensor, labels: Tensor,
                        classes: Sequence[int]) -> Tensor:
    """``(N, T, D)`` the conditional embedding of each image and class.

    Args:
        model (nn.Module): The ``CLIPSeg`` (its ``train_settings``).
        inputs (Tensor): ``(N, 3, H, W)`` normalised images.
        labels (Tensor): ``(N, 1, H, W)`` their labels.
        classes (Sequence[int]): The T classes prompted.
    """
    text = _in_random_templates(model, [model.class_names[k]
                                        for k in classes]).to(inputs)
    text = text[None].expand(len(inputs), -1, -1)
    if model.train_settings['text_weight'][0] == 1:
        return text
    support = support_embeddings(model, inputs, labels, classes)
    weight = _text_weights(model, (len(inputs), len(classes), 1), inputs)
    weight[:, torch.isnan(support[:, 0])] = 1.  # no image of the class
    return weight * text + (1 - weight) * support.nan_to_num()[None]


def support_embeddings(model: nn.Module, inputs: Tensor, labels: Tensor,
                       classes: Sequence[int]) -> Tensor:
    """``(T, D)`` per class, the image prompt of a random image of the batch
    holding it (darkened outside the class); NaN where none does."""
    holders: List[int] = []
    for k in classes:
        held = (labels == k).flatten(1).any(dim=1).nonzero()[:, 0]
        holders.append(
            int(held[torch.randint(len(held), ())]) if len(held) else -1)
    present = [i for i, j in enumerate(holders) if j >= 0]
    out = inputs.new_full((len(classes), model.embed_dim), float('nan'))
    if present:
        rows = torch.tensor([holders[i] for i in present])
        masks = torch.stack(
            [labels[holders[i]] == classes[i] for i in present])
        out[present] = model.encode_image(inputs[rows], masks).to(out)
    return out


def sample_phrases(metas: Sequence[dict]) -> Optional[List[str]]:
    """Each sample's own phrase (``PhraseMaskDataset``), or None where no
    sample names one (the semantic mode)."""
    phrases = [meta.get('phrase') for meta in metas]
    if all(p is None for p in phrases):
        return None
    if any(p is None for p in phrases):
        raise ConfigError(
            'a batch mixes samples with and without a phrase: pack the '
            "phrase (PackSegInputs meta_keys with 'phrase') in every "
            'pipeline of a phrase dataset, and in none of the others')
    return phrases


def phrase_conditions(model: nn.Module, inputs: Tensor, labels: Tensor,
                      phrases: Sequence[str]) -> Tensor:
    """``(N, 1, D)`` each sample's phrase in a random template of
    ``train_cfg``, mixed as ``text_weight`` says with the image prompt of
    another image of the batch showing the same phrase (the release draws
    it from the dataset); the text alone where none does, negatives alike.

    Args:
        model (nn.Module): The ``CLIPSeg``.
        inputs (Tensor): ``(N, 3, H, W)`` normalised images.
        labels (Tensor): ``(N, 1, H, W)`` their masks (1: the phrase's).
        phrases (Sequence[str]): Each image's phrase.
    """
    text = _in_random_templates(model, phrases).to(inputs)
    donors = _phrase_donors(
        labels, phrases) if model.train_settings['text_weight'][0] < 1 else []
    mixed = [i for i, j in enumerate(donors) if j >= 0]
    if not mixed:
        return text[:, None]
    rows = torch.tensor([donors[i] for i in mixed])
    support = model.encode_image(inputs[rows], labels[rows] == 1).to(inputs)
    weight = _text_weights(model, (len(mixed), 1), inputs)
    text[mixed] = weight * text[mixed] + (1 - weight) * support
    return text[:, None]


def _phrase_donors(labels: Tensor, phrases: Sequence[str]) -> List[int]:
    """Per sample, a random other sample showing its phrase, or -1."""
    shown = (labels == 1).flatten(1).any(dim=1).tolist()
    donors = []
    for i, phrase in enumerate(phrases):
        others = [
            j for j, p in enumerate(phrases)
            if j != i and shown[j] and p == phrase
        ]
        donors.append(others[torch.randint(len(others), (
        )).item()] if others else -1)
    return donors
