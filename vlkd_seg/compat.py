"""mmengine checkpoints under torch >= 2.6, whose ``torch.load`` keeps
``weights_only=True`` (the safe unpickler) by default.

mmengine 0.10.x puts the message hub's ``HistoryBuffer`` objects into every
checkpoint: numpy arrays inside, and a class-level table of bound methods
that pickles as ``builtins.getattr`` calls, which the safe unpickler
refuses. Rather than turning it off (or allowing ``getattr``):

* :func:`plain_message_hub` / :func:`restore_message_hub` turn the message
  hub's state into lists, numbers and strings and back;
  ``AtomicCheckpointHook`` writes checkpoints that way, so torch, mmengine
  and mmseg (``init_model``) load them as they are, with no allow-list;
* :func:`vlkd_seg.utils.load_checkpoint_safely` (the tools' loader) reads
  other files with an allow-list of mmengine's and numpy's types for that
  one call, and names the file and the offending global when it refuses.

Nothing here changes torch, pickle or mmengine for other code: importing
:mod:`vlkd_seg` has no side effects beyond registering its components.
"""
from typing import Any

import numpy as np
from mmengine.logging import HistoryBuffer

#: marks a ``HistoryBuffer`` written as plain data by :func:`plain_message_hub`
_BUFFER_TAG = '__history_buffer__'


def to_plain(value: Any) -> Any:
    """``value`` with numpy arrays and scalars as lists and Python numbers,
    inside dicts, lists and tuples (tensors and other leaves as they are)."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, dict):
        return type(value)((k, to_plain(v)) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return type(value)(to_plain(v) for v in value)
    return value


def plain_message_hub(state: dict) -> dict:
    """A ``MessageHub.state_dict()`` in plain data (see module doc).

    Args:
        state (dict): ``log_scalars`` (name -> ``HistoryBuffer``),
            ``runtime_info`` and ``resumed_keys``.

    Returns:
        dict: The same keys; each buffer is a dict of its log and count
        histories (lists) and its maximum length.
    """
    scalars = {
        name: {
            _BUFFER_TAG: True,
            'log': to_plain(buffer.data[0]),
            'count': to_plain(buffer.data[1]),
            'max_length': buffer.max_length
        } if isinstance(buffer, HistoryBuffer) else to_plain(buffer)
        for name, buffer in state.get('log_scalars', {}).items()
    }
    return dict(to_plain(state), log_scalars=scalars)


def restore_message_hub(state: dict) -> dict:
    """Undo :func:`plain_message_hub` (other states pass as they are)."""
    scalars = {
        name: HistoryBuffer(value['log'], value['count'], value['max_length'])
        if isinstance(value, dict) and value.get(_BUFFER_TAG) else value
        for name, value in state.get('log_scalars', {}).items()
    }
    return dict(state, log_scalars=scalars)
