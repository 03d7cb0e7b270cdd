"""Strict loading of trained weights for evaluation."""
import re
from typing import List

from mmengine.runner import CheckpointLoader
from mmengine.runner.checkpoint import _load_checkpoint_to_model
from torch import nn

from .errors import ConfigError

# models whose weights need no training: they test without a checkpoint
TRAINING_FREE = ('MaskCLIPSegmentor', )


def _few(keys: List[str], n: int = 3) -> str:
    keys = sorted(keys)
    more = f' and {len(keys) - n} more' if len(keys) > n else ''
    return ', '.join(keys[:n]) + more


def load_trained_weights(model: nn.Module, path: str) -> dict:
    """Load the checkpoint ``path`` into ``model``, every key accounted for.

    Keys the model leaves out of its checkpoints (the frozen teacher) are
    not expected; every other key must be in both, with the same shape.

    Args:
        model (nn.Module): The built model (not a DDP wrapper).
        path (str): Checkpoint written by ``tools/train.py``.

    Returns:
        dict: The loaded checkpoint (``meta``, ``state_dict``, ...).

    Raises:
        ConfigError: The file is not a checkpoint, or its weights belong to
            another model.
    """
    checkpoint = CheckpointLoader.load_checkpoint(path, map_location='cpu')
    if not isinstance(checkpoint, dict):
        raise ConfigError(f'{path} holds a {type(checkpoint).__name__}, not '
                          'a checkpoint of weights')
    state = checkpoint.get('state_dict', checkpoint)
    given = {re.sub(r'^module\.', '', k) for k in state}
    wanted = set(model.state_dict())
    missing, unexpected = wanted - given, given - wanted
    if missing or unexpected:
        parts = [f'missing {len(missing)} keys ({_few(missing)})'
                 ] * bool(missing) + [
                     f'unexpected {len(unexpected)} keys ({_few(unexpected)})'
                 ] * bool(unexpected)
        raise ConfigError(
            f'checkpoint {path} does not fit the model {type(model).__name__}'
            f' of this config: {"; ".join(parts)}; was it trained with '
            'another config? Give the checkpoint of this config.')
    try:
        _load_checkpoint_to_model(model, checkpoint, strict=True)
    except RuntimeError as err:
        detail = [ln.strip() for ln in str(err).splitlines() if 'size' in ln]
        raise ConfigError(
            f'checkpoint {path} does not fit the model of this config: '
            f'{(detail or [str(err).strip()])[0]}') from None
    return checkpoint
