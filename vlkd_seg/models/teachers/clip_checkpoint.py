"""Build open_clip models from names or JSON files and load local weights.

Nothing here touches the network: architectures come from open_clip's
bundled configs or from a JSON file, weights from a local file.
"""
import hashlib
import json
import logging
import os.path as osp
import zipfile
from contextlib import contextmanager
from typing import Dict, Iterator, Optional, Tuple

import open_clip
import torch
from mmengine.logging import print_log
from torch import nn

from vlkd_seg.utils.checkpoints import unsafe_pickle_error
from vlkd_seg.utils.errors import WEIGHTS_HINT, ConfigError, MissingFileError
from vlkd_seg.utils.io import cache_root, write_atomically
from .hf_clip import hf_to_open_clip, is_hf_clip


def is_torchscript(path: str) -> bool:
    """Whether ``path`` is a TorchScript archive (OpenAI's release format)."""
    if not zipfile.is_zipfile(path):
        return False
    with zipfile.ZipFile(path) as archive:
        return any(
            name.endswith('constants.pkl') or '/code/' in name
            for name in archive.namelist())


def open_clip_name(model_name: str) -> str:
    """The open_clip registry name of an architecture or a JSON config.

    A JSON model config is registered under ``'<file stem>-<hash of its
    content>'``, so two different files that share a basename (two users'
    ``model.json``) never replace each other.

    Args:
        model_name (str): An open_clip architecture name (``'ViT-B-16'``,
            ``'RN50'``, ...) or the path of an open_clip JSON model config.

    Returns:
        str: A name ``open_clip.create_model`` and ``get_tokenizer`` know.
    """
    if not model_name.endswith('.json'):
        if model_name not in open_clip.list_models():
            raise ConfigError(
                f'unknown open_clip architecture {model_name!r}; use one of '
                'open_clip.list_models() or the path of a JSON model config.')
        return model_name
    if not osp.isfile(model_name):
        raise MissingFileError(f'open_clip model config {model_name} '
                               'does not exist')
    with open(model_name, 'rb') as f:
        content = f.read()
    cfg = json.loads(content)
    missing = {'embed_dim', 'vision_cfg', 'text_cfg'} - set(cfg)
    if missing:
        raise ConfigError(f'{model_name} is not an open_clip model config: '
                          f'it lacks {sorted(missing)}')
    return register_open_clip_config(content,
                                     osp.splitext(osp.basename(model_name))[0])


def register_open_clip_config(content: bytes, stem: str) -> str:
    """Register an open_clip JSON model config (its bytes) under
    ``'<stem>-<hash of content>'``, a copy kept in the cache; the name."""
    name = f'{stem}-{hashlib.sha256(content).hexdigest()[:12]}'
    if name not in open_clip.list_models():
        copy = osp.join(cache_root(), 'open_clip_configs', name + '.json')
        write_atomically(content, copy)
        open_clip.add_model_config(copy)
    return name


def create_clip(model_name: str, quick_gelu: bool = False) -> nn.Module:
    """Create a randomly initialised open_clip model.

    Args:
        model_name (str): An open_clip architecture name or the path of an
            open_clip JSON model config (see :func:`open_clip_name`).
        quick_gelu (bool): Force QuickGELU activations (OpenAI weights).

    Returns:
        nn.Module: An ``open_clip.CLIP`` (or ``CustomTextCLIP``) model.
    """
    with _without_open_clip_weights_warning():
        return open_clip.create_model(
            open_clip_name(model_name),
            pretrained=None,
            force_quick_gelu=quick_gelu,
            pretrained_text=False)


class _DropNoWeightsWarning(logging.Filter):

    def filter(self, record: logging.LogRecord) -> bool:
        return 'No pretrained weights loaded' not in record.getMessage()


@contextmanager
def _without_open_clip_weights_warning() -> Iterator[None]:
    """Silence open_clip's "No pretrained weights loaded": the weights come
    from :func:`load_clip_weights` (or are random on purpose), and
    :class:`CLIPTeacher` says which."""
    root, drop = logging.getLogger(), _DropNoWeightsWarning()
    root.addFilter(drop)
    try:
        yield
    finally:
        root.removeFilter(drop)


def load_state_dict(path: str) -> Tuple[Dict[str, torch.Tensor], bool]:
    """Read CLIP weights from a local file in any supported format.

    Supported: open_clip / PyTorch state dicts (optionally under
    ``'state_dict'`` or with a ``'module.'`` prefix), OpenAI TorchScript
    archives, safetensors files, and the ``transformers`` CLIPModel layout
    of either (converted to open_clip names; flagged for QuickGELU like
    OpenAI's weights, the activation of every OpenAI CLIP on the Hub).

    Args:
        path (str): The weights file.

    Returns:
        tuple[dict, bool]: The state dict and whether the weights are
        OpenAI's (TorchScript archive or ``transformers`` layout), which
        use QuickGELU.
    """
    path = osp.expanduser(path)
    if not osp.isfile(path):
        raise MissingFileError(f'CLIP checkpoint {path} does not exist. '
                               f'{WEIGHTS_HINT}')
    try:
        if path.endswith('.safetensors'):
            from safetensors.torch import load_file
            state = load_file(path, device='cpu')
        elif is_torchscript(path):
            state = torch.jit.load(path, map_location='cpu').state_dict()
            for key in ('input_resolution', 'context_length', 'vocab_size'):
                state.pop(key, None)
            return dict(state), True
        else:
            state = torch.load(path, map_location='cpu', weights_only=True)
    except Exception as err:  # corrupt, truncated or foreign files
        unsafe = unsafe_pickle_error(path, err)
        if unsafe is not None:
            raise unsafe from None
        raise ConfigError(
            f'cannot read CLIP checkpoint {path} ({type(err).__name__}: '
            f'{str(err).strip().splitlines()[0][:200]}); the file is corrupt '
            f'or not a CLIP checkpoint. {WEIGHTS_HINT}') from None
    for key in ('state_dict', 'model'):
        if isinstance(state, dict) and isinstance(state.get(key), dict):
            state = state[key]
    if not isinstance(state, dict) or not state:
        raise ConfigError(f'{path} holds no state dict. {WEIGHTS_HINT}')
    return _from_hf({_strip(k): v for k, v in state.items()})


def _from_hf(state: Dict[str, torch.Tensor]):
    """``(state, quick_gelu)``: open_clip names, converted from the
    ``transformers`` layout if needed."""
    if is_hf_clip(state):
        return hf_to_open_clip(state), True
    return state, False


def _strip(key: str) -> str:
    return key[len('module.'):] if key.startswith('module.') else key


def load_clip_weights(model: nn.Module,
                      state: Dict[str, torch.Tensor],
                      source: Optional[str] = None) -> None:
    """Load ``state`` into ``model``, refusing any key mismatch.

    Positional embeddings of another grid size are resized the way open_clip
    does it.

    Raises:
        ValueError: Listing missing and unexpected keys, or shape mismatches.
    """
    from open_clip.model import resize_pos_embed
    expected = model.state_dict()
    # non-persistent buffers (e.g. the text attention mask) that traced or
    # scripted models still save
    transient = {name for name, _ in model.named_buffers()} - set(expected)
    state = {k: v for k, v in state.items() if k not in transient}
    resize_pos_embed(state, model)
    if 'logit_scale' in state:
        state['logit_scale'] = state['logit_scale'].reshape(
            model.logit_scale.shape)
    expected = model.state_dict()
    missing = sorted(set(expected) - set(state))
    unexpected = sorted(set(state) - set(expected))
    shapes = sorted(f'{k}: {tuple(state[k].shape)} vs {tuple(v.shape)}'
                    for k, v in expected.items()
                    if k in state and state[k].shape != v.shape)
    if missing or unexpected or shapes:
        raise ConfigError(
            f'checkpoint {source or ""} does not fit the architecture: '
            f'missing keys {_short(missing)}, unexpected keys '
            f'{_short(unexpected)}, shape mismatches {_short(shapes)}. Check '
            'that model_name matches the weights (OpenAI weights need the '
            '"-quickgelu" variant or their TorchScript file).')
    model.load_state_dict(state, strict=True)


def _short(items, limit=8):
    extra = f' (+{len(items) - limit} more)' if len(items) > limit else ''
    return f'{items[:limit]}{extra}'


def build_clip(model_name: str,
               checkpoint: Optional[str] = None,
               quick_gelu: Optional[bool] = None) -> nn.Module:
    """A frozen open_clip model in eval mode with local weights.

    Args:
        model_name (str): Architecture name or JSON config path.
        checkpoint (str, optional): Weights file (see
            :func:`load_state_dict`); None keeps random weights and says so.
        quick_gelu (bool, optional): Force QuickGELU; None uses it where
            the checkpoint's format implies it (OpenAI, transformers).
    """
    state, is_openai = (
        load_state_dict(checkpoint) if checkpoint else (None, False))
    model = create_clip(
        model_name, quick_gelu=is_openai if quick_gelu is None else quick_gelu)
    if state is not None:
        load_clip_weights(model, state, checkpoint)
    else:
        print_log(
            f'CLIP {model_name}: no checkpoint given, the weights are random '
            '(set model.teacher.checkpoint for a real CLIP)',
            logger='current',
            level=logging.WARNING)
    return model.requires_grad_(False).eval()
