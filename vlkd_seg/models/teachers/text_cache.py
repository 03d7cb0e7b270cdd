import hashlib
import json
import os.path as osp
from typing import Dict, Optional, Sequence

import torch
from torch import nn

from vlkd_seg.utils.errors import ConfigError
from vlkd_seg.utils.io import save_atomically


class TextEmbeddingCache:
    """On-disk cache of class text embeddings.

    An entry is keyed by the model, a hash of its text-tower weights, the
    templates and the class names (with their descriptions), so any change
    of these gives a new entry. Files are written atomically.

    Args:
        cache_dir (str, optional): Folder of the cache; None keeps entries
            in memory only.
    """

    def __init__(self, cache_dir: Optional[str] = None):
        self.cache_dir = osp.expanduser(cache_dir) if cache_dir else None
        self._memory: Dict[str, torch.Tensor] = {}
        self.hits = 0

    @staticmethod
    def key(model_id: str,
            weights_hash: str,
            templates: Sequence[str],
            names: Sequence[str],
            descriptions: Optional[Sequence[str]] = None,
            precision: str = 'fp32') -> str:
        """A stable hex digest of everything the embeddings depend on
        (an fp32 key leaves the precision out, as keys always did)."""
        spec = [
            model_id, weights_hash,
            list(templates),
            list(names),
            list(descriptions or [])
        ] + ([precision] if precision != 'fp32' else [])
        spec = json.dumps(spec, ensure_ascii=False)
        return hashlib.sha256(spec.encode('utf-8')).hexdigest()[:32]

    def _path(self, key: str) -> Optional[str]:
        return osp.join(self.cache_dir, key + '.pt') if self.cache_dir \
            else None

    def get(self, key: str) -> Optional[torch.Tensor]:
        """The cached ``(K, D)`` embeddings of ``key``, or None."""
        if key in self._memory:
            self.hits += 1
            return self._memory[key]
        path = self._path(key)
        if path and osp.isfile(path):
            try:
                value = torch.load(path, map_location='cpu', weights_only=True)
            except Exception:  # a corrupt entry is recomputed
                return None
            self._memory[key] = value
            self.hits += 1
            return value
        return None

    def put(self, key: str, value: torch.Tensor) -> None:
        """Store ``value`` under ``key`` (in memory and on disk)."""
        value = value.detach().float().cpu()
        self._memory[key] = value
        path = self._path(key)
        if path is None:
            return
        save_atomically(value, path)


def tensors_hash(tensors: Dict[str, torch.Tensor]) -> str:
    """SHA-256 of the names, shapes and bytes of ``tensors``."""
    digest = hashlib.sha256()
    for name in sorted(tensors):
        value = tensors[name].detach().float().cpu().contiguous()
        digest.update(f'{name}:{tuple(value.shape)}'.encode())
        digest.update(value.numpy().tobytes())
    return digest.hexdigest()[:32]


def tower_hash(clip: nn.Module, tower: str) -> str:
    """:func:`tensors_hash` of the ``'image'`` (``visual.*``) or ``'text'``
    (everything else) weights of an open_clip model."""
    if tower not in ('image', 'text'):
        raise ConfigError(f"tower must be 'image' or 'text', got {tower!r}")
    return tensors_hash({
        k: v
        for k, v in clip.state_dict().items()
        if k.startswith('visual.') == (tower == 'image')
    })
