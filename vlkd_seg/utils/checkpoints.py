"""Loading checkpoints: safely, and strictly for evaluation."""
import importlib
import os.path as osp
import pickle
import re
from typing import Any, List, Optional

import numpy as np
import torch
from mmengine.logging import HistoryBuffer
from mmengine.runner import load_state_dict
from numpy.lib import NumpyVersion
from torch import nn

from .errors import ConfigError, MissingFileError, UserError

# models whose weights need no training: they test without a checkpoint
TRAINING_FREE = ('MaskCLIPSegmentor', )
#: the name of a run's numbered checkpoint; group 1 is its step
NUMBERED_CHECKPOINT = re.compile(r'(?:iter|epoch)_(\d+)\.pth')


def needs_checkpoint(model: dict) -> bool:
    """Whether a model config gets its weights only from a trained
    checkpoint: not a training-free model, nor one built from published
    ``weights`` (a CLIPSeg folder)."""
    return model.get('type') not in TRAINING_FREE and not model.get('weights')


class UnsafeCheckpointError(UserError, pickle.UnpicklingError):
    """A checkpoint holds a pickled object outside the allow-list."""


def checkpoint_safe_globals() -> List[Any]:
    """The globals an mmengine checkpoint may hold besides tensors.

    Returns:
        list: ``HistoryBuffer``, the numpy reconstructors that the numpy
        arrays and scalars in its history need, and ``bytes``: under
        pickle protocol 2 empty bytes (the buffer of an empty numpy array,
        e.g. a ``HistoryBuffer`` never updated) are written as a call of
        ``bytes()``, which builds data and runs nothing else.
    """
    import _codecs
    multiarray = importlib.import_module(
        'numpy._core.multiarray' if NumpyVersion(np.__version__) >=
        '2.0.0' else 'numpy.core.multiarray')
    return [
        HistoryBuffer, multiarray._reconstruct, multiarray.scalar, np.ndarray,
        np.dtype, _codecs.encode, bytes,
        *(type(np.dtype(c)) for c in 'bBhHiIlLqQefdgFDG?')
    ]


def load_checkpoint_safely(filename: str,
                           map_location=None,
                           mmap: bool = False) -> Any:
    """Load a local checkpoint with torch's safe (weights-only) unpickler.

    Args:
        filename (str): Path of the checkpoint file.
        map_location: Same as :func:`torch.load`.
        mmap (bool): Map the tensors' bytes instead of reading them (for
            a caller that reads only the ``meta``).

    Returns:
        The unpickled checkpoint.

    Raises:
        MissingFileError: ``filename`` does not exist.
        UnsafeCheckpointError: The file holds a pickled object outside
            :func:`checkpoint_safe_globals`.
        ConfigError: The file is not a checkpoint or is truncated.
    """
    filename = osp.expanduser(filename)
    if not osp.isfile(filename):
        raise MissingFileError(f'checkpoint {filename} does not exist')
    try:
        with torch.serialization.safe_globals(checkpoint_safe_globals()):
            return torch.load(
                filename,
                map_location=map_location,
                weights_only=True,
                mmap=mmap)
    except pickle.UnpicklingError as err:
        raise (unsafe_pickle_error(filename, err)
               or _unreadable(filename, err)) from None
    except (RuntimeError, EOFError, KeyError, ValueError, OSError) as err:
        raise _unreadable(filename, err) from None


def unsafe_pickle_error(filename: str,
                        err: Exception) -> Optional[UnsafeCheckpointError]:
    """The refusal to give for ``torch.load(weights_only=True)``'s ``err``
    when ``filename`` holds a pickled object outside the allow-list; None
    when ``err`` is something else. Unlike torch's own message, it never
    advises ``weights_only=False``, which would run that object."""
    unsafe = [
        line.strip() for line in str(err).splitlines()
        if 'global' in line.lower()
    ]
    if not isinstance(err, pickle.UnpicklingError) or not unsafe:
        return None
    return UnsafeCheckpointError(
        f'refusing to load {filename}: it holds a pickled object that '
        f'is not tensor data or an allow-listed mmengine/numpy type '
        f'({unsafe[0]}). Only load checkpoints you trust; re-save it as '
        'a plain state dict to use it here.')


def _unreadable(filename: str, err: Exception) -> ConfigError:
    detail = (str(err).strip().splitlines() or [''])[0].split('. ')[0]
    return ConfigError(
        f'{filename} is not a readable checkpoint (truncated, or not '
        f'written by torch.save: {type(err).__name__} {detail}); give the '
        'path of a complete .pth file.')


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
    checkpoint = load_checkpoint_safely(path, map_location='cpu')
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
        load_state_dict(
            model, {
                re.sub(r'^module\.', '', k): v
                for k, v in state.items()
            },
            strict=True)
    except RuntimeError as err:
        detail = [ln.strip() for ln in str(err).splitlines() if 'size' in ln]
        raise ConfigError(
            f'checkpoint {path} does not fit the model of this config: '
            f'{(detail or [str(err).strip()])[0]}') from None
    return checkpoint
