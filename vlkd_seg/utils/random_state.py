"""The state of every random generator a run draws from, as plain data a
checkpoint carries (``torch.load(weights_only=True)`` reads it back)."""
import random

import numpy as np
import torch


def get_random_state() -> dict:
    """Python's, numpy's, torch's CPU and every CUDA generator's state."""
    kind, keys, pos, has_gauss, cached = np.random.get_state()
    state = dict(
        python=random.getstate(),
        numpy=dict(
            kind=kind,
            keys=torch.from_numpy(keys.astype(np.int64)),
            pos=int(pos),
            has_gauss=int(has_gauss),
            cached_gaussian=float(cached)),
        torch=torch.get_rng_state())
    if torch.cuda.is_available() and torch.cuda.is_initialized():
        state['cuda'] = torch.cuda.get_rng_state_all()
    return state


def set_random_state(state: dict) -> None:
    """Put back what :func:`get_random_state` returned."""
    version, internal, gauss = state['python']
    random.setstate((version, tuple(internal), gauss))
    saved = state['numpy']
    np.random.set_state(
        (saved['kind'], saved['keys'].numpy().astype(np.uint32), saved['pos'],
         saved['has_gauss'], saved['cached_gaussian']))
    torch.set_rng_state(state['torch'])
    if state.get('cuda') and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state['cuda'])
