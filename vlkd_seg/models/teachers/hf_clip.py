"""Read CLIP weights saved in the Hugging Face ``transformers`` layout.

``CLIPModel.save_pretrained`` writes ``vision_model.*`` / ``text_model.*``
keys with separate q/k/v projections and ``(out, in)`` projection
matrices; open_clip keeps fused ``in_proj`` attention weights and
``(in, out)`` projections. :func:`hf_to_open_clip` renames and reshapes one
into the other (ViT towers; ``transformers`` has no ModifiedResNet).
"""
import re
from typing import Dict

import torch
from torch import Tensor

from vlkd_seg.utils.errors import ConfigError

# per-layer names: transformers -> open_clip (inside ...resblocks.{i}.)
_LAYER = {
    'self_attn.out_proj': 'attn.out_proj',
    'layer_norm1': 'ln_1',
    'layer_norm2': 'ln_2',
    'mlp.fc1': 'mlp.c_fc',
    'mlp.fc2': 'mlp.c_proj',
}
# whole-model names: transformers -> open_clip
_TOP = {
    'text_model.embeddings.token_embedding.weight': 'token_embedding.weight',
    'text_model.embeddings.position_embedding.weight': 'positional_embedding',
    'text_model.final_layer_norm': 'ln_final',
    'vision_model.embeddings.class_embedding': 'visual.class_embedding',
    'vision_model.embeddings.patch_embedding.weight': 'visual.conv1.weight',
    'vision_model.embeddings.position_embedding.weight':
    'visual.positional_embedding',
    'vision_model.pre_layrnorm': 'visual.ln_pre',
    'vision_model.post_layernorm': 'visual.ln_post',
    'logit_scale': 'logit_scale',
}
_TOWERS = {'text_model': 'transformer', 'vision_model': 'visual.transformer'}
_LAYER_KEY = re.compile(r'^(text_model|vision_model)\.encoder\.layers\.(\d+)\.'
                        r'(.+)\.(weight|bias)$')


def is_hf_clip(state: Dict[str, Tensor]) -> bool:
    """Whether ``state`` is a ``transformers`` CLIPModel state dict."""
    return any(k.startswith('vision_model.') for k in state) and any(
        k.startswith('text_model.') for k in state)


def hf_to_open_clip(state: Dict[str, Tensor]) -> Dict[str, Tensor]:
    """Convert a ``transformers`` CLIPModel state dict to open_clip names.

    Raises:
        ValueError: Keys that have no open_clip counterpart (e.g. a vision
            tower that is not a ViT).
    """
    out, qkv, unknown = {}, {}, []
    for key, value in state.items():
        if key.endswith('position_ids'):
            continue  # a buffer transformers saves, not a weight
        layer = _LAYER_KEY.match(key)
        if layer:
            tower, idx, name, kind = layer.groups()
            prefix = f'{_TOWERS[tower]}.resblocks.{idx}.'
            if name in ('self_attn.q_proj', 'self_attn.k_proj',
                        'self_attn.v_proj'):
                qkv.setdefault((prefix, kind), {})[name[10]] = value
            elif name in _LAYER:
                out[f'{prefix}{_LAYER[name]}.{kind}'] = value
            else:
                unknown.append(key)
        elif key in ('visual_projection.weight', 'text_projection.weight'):
            name = 'visual.proj' if key[0] == 'v' else 'text_projection'
            out[name] = value.T.contiguous()
        else:
            top = _top_name(key)
            if top is None:
                unknown.append(key)
            else:
                out[top] = value.reshape(-1) if top == 'logit_scale' \
                    else value
    for (prefix, kind), parts in qkv.items():
        out[f'{prefix}attn.in_proj_{kind}'] = torch.cat(
            [parts['q'], parts['k'], parts['v']])
    if unknown:
        raise ConfigError(f'transformers CLIP keys without an open_clip '
                          f'counterpart: {unknown[:8]}')
    return out


def _top_name(key: str):
    for hf, oc in _TOP.items():
        if key == hf or key.startswith(hf + '.'):
            return oc + key[len(hf):]
    return None
