"""Safe loading of mmengine checkpoints under torch >= 2.6.

torch >= 2.6 unpickles with ``weights_only=True`` by default, and mmengine
0.10.x checkpoints carry a few non-tensor objects (the message hub's
``HistoryBuffer`` and the numpy arrays and scalars inside it). Rather than
turning the safe unpickler off, this module

* makes ``HistoryBuffer`` pickle as plain data (mmengine pickles its class
  level table of statistics methods, which needs ``builtins.getattr``),
* registers a local-file checkpoint loader that keeps ``weights_only=True``
  and allows exactly the globals in :func:`checkpoint_safe_globals`,
* turns a refusal into :class:`UnsafeCheckpointError`, which names the file
  and the offending global.

Importing :mod:`vlkd_seg` applies all of it.
"""
import copyreg
import importlib
import os.path as osp
import pickle
from typing import Any, Callable, List, Tuple

import numpy as np
import torch
from mmengine.logging import HistoryBuffer
from mmengine.runner import CheckpointLoader
from numpy.lib import NumpyVersion

from vlkd_seg.utils.errors import ConfigError, MissingFileError, UserError


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


def _reduce_history_buffer(
        buffer: HistoryBuffer) -> Tuple[Callable, tuple, dict]:
    """Pickle a ``HistoryBuffer`` as its data only.

    Its statistics methods live on the class (``register_statistics``), so
    they come back with the class and need not travel in the file.
    """
    state = {
        k: v
        for k, v in vars(buffer).items() if k != 'statistics_methods'
    }
    return HistoryBuffer, (), state


def load_checkpoint_safely(filename: str, map_location=None) -> Any:
    """Load a local checkpoint with torch's safe (weights-only) unpickler.

    Args:
        filename (str): Path of the checkpoint file.
        map_location: Same as :func:`torch.load`.

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
                filename, map_location=map_location, weights_only=True)
    except pickle.UnpicklingError as err:
        unsafe = [
            line.strip() for line in str(err).splitlines()
            if 'global' in line.lower()
        ]
        if not unsafe:
            raise _unreadable(filename, err) from None
        raise UnsafeCheckpointError(
            f'refusing to load {filename}: it holds a pickled object that '
            f'is not tensor data or an allow-listed mmengine/numpy type '
            f'({unsafe[0]}). Only load checkpoints you trust; re-save it as '
            'a plain state dict to use it here.') from None
    except (RuntimeError, EOFError, KeyError, ValueError, OSError) as err:
        raise _unreadable(filename, err) from None


def _unreadable(filename: str, err: Exception) -> ConfigError:
    detail = (str(err).strip().splitlines() or [''])[0].split('. ')[0]
    return ConfigError(
        f'{filename} is not a readable checkpoint (truncated, or not '
        f'written by torch.save: {type(err).__name__} {detail}); give the '
        'path of a complete .pth file.')


def apply() -> None:
    """Install the pickling rule and the safe local checkpoint loader."""
    copyreg.pickle(HistoryBuffer, _reduce_history_buffer)
    CheckpointLoader.register_scheme(
        prefixes='', loader=load_checkpoint_safely, force=True)
