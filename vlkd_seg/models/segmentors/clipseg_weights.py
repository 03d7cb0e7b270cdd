"""CLIPSeg weights in the Hugging Face layout, read for vlkd_seg.

``CLIPSegForImageSegmentation.save_pretrained`` (and the published
``CIDAS/clipseg-rd64-refined`` folder) holds ``config.json`` and
``model.safetensors`` (or ``pytorch_model.bin``): a CLIP under ``clip.*`` in
``transformers``' CLIP layout and the decoder under ``decoder.*``. The CLIP
becomes an open_clip model (the architecture registered with open_clip as
a JSON model config, the weights renamed by ``hf_to_open_clip``); the
decoder's names are ``CLIPSegHead``'s.
"""
import json
import os.path as osp
from typing import Dict, List, NamedTuple, Optional, Sequence

from torch import Tensor, nn

from vlkd_seg.utils.errors import (CLIPSEG_WEIGHTS_HINT, ConfigError,
                                   MissingFileError, required)
from ..teachers.clip_checkpoint import (build_clip, create_clip,
                                        load_clip_weights, load_state_dict,
                                        open_clip_name,
                                        register_open_clip_config)

WEIGHT_FILES = ('model.safetensors', 'pytorch_model.bin')


class CLIPSegWeights(NamedTuple):
    """What a CLIPSeg folder holds, in vlkd_seg's terms.

    Attributes:
        clip_name (str): The CLIP's architecture, registered with
            open_clip.
        clip_state (dict): The CLIP's weights, open_clip names.
        head (dict): The ``CLIPSegHead`` config.
        head_state (dict): The decoder's weights.
        extract_layers (list[int]): The CLIP blocks the head reads.
    """
    clip_name: str
    clip_state: Dict[str, Tensor]
    head: dict
    head_state: Dict[str, Tensor]
    extract_layers: List[int]


class CLIPSegParts(NamedTuple):
    """A CLIPSeg's frozen CLIP, its open_clip name, head and layers."""
    clip: nn.Module
    clip_name: str
    head: nn.Module
    extract_layers: List[int]


def build_clipseg_parts(weights: Optional[str], clip: Optional[dict],
                        decode_head: Optional[dict],
                        extract_layers: Sequence[int]) -> CLIPSegParts:
    """The parts of a CLIPSeg from a published folder (``weights``) or
    from an open_clip ``clip`` and a ``decode_head`` config."""
    from mmseg.registry import MODELS
    if weights is not None:
        if clip is not None or decode_head is not None:
            raise ConfigError('CLIPSeg takes weights= (a transformers '
                              'folder: CLIP and decoder) or clip= and '
                              'decode_head=, not both')
        folder = read_clipseg_folder(weights)
        name, model = folder.clip_name, create_clip(folder.clip_name)
        load_clip_weights(model, folder.clip_state, weights)
        head = MODELS.build(folder.head)
        head.load_state_dict(folder.head_state, strict=True)
        layers = folder.extract_layers
    else:
        clip = dict(required(clip, 'clip', 'CLIPSeg'))
        name, model = clip['model_name'], build_clip(**clip)
        head = MODELS.build(
            head_for_clip(
                required(decode_head, 'decode_head', 'CLIPSeg'), model,
                len(extract_layers)))
        layers = list(extract_layers)
    blocks = len(model.visual.transformer.resblocks)
    if not layers or any(not 0 <= i < blocks for i in layers):
        raise ConfigError(f'CLIPSeg extract_layers {layers} must be '
                          f'blocks of the CLIP ViT (0 to {blocks - 1})')
    return CLIPSegParts(
        model.requires_grad_(False).eval(), open_clip_name(name), head, layers)


def read_clipseg_folder(folder: str) -> CLIPSegWeights:
    """Read a ``transformers`` CLIPSeg folder.

    Raises:
        MissingFileError: The folder, its config or its weights are missing.
        ConfigError: The files are not a CLIPSeg model.
    """
    from transformers import CLIPSegConfig
    folder = osp.expanduser(folder)
    files = [osp.join(folder, f) for f in WEIGHT_FILES]
    found = [f for f in files if osp.isfile(f)]
    if not osp.isfile(osp.join(folder, 'config.json')) or not found:
        raise MissingFileError(
            f'{folder} is not a CLIPSeg folder: it needs config.json and '
            f'{" or ".join(WEIGHT_FILES)}; {CLIPSEG_WEIGHTS_HINT}')
    config = CLIPSegConfig.from_pretrained(folder, local_files_only=True)
    state = _split(load_state_dict(found[0])[0], found[0])
    return CLIPSegWeights(
        clip_name=register_open_clip_config(
            json.dumps(open_clip_config(config), sort_keys=True).encode(),
            'clipseg'),
        clip_state=state['clip'],
        head=head_config(config),
        head_state=state['decoder'],
        extract_layers=list(config.extract_layers))


def _split(state: Dict[str, Tensor], path: str) -> Dict[str, dict]:
    """``{'clip': ..., 'decoder': ...}`` by key prefix; the CLIP part in
    open_clip names."""
    from ..teachers.hf_clip import hf_to_open_clip
    parts = {'clip': {}, 'decoder': {}}
    for key, value in state.items():
        prefix, _, rest = key.partition('.')
        if prefix not in parts:
            raise ConfigError(f'{path}: key {key} is neither clip.* nor '
                              'decoder.*: not CLIPSeg weights')
        parts[prefix][rest] = value
    parts['clip'] = hf_to_open_clip(parts['clip'])
    return parts


def open_clip_config(config) -> dict:
    """The open_clip model config of a ``CLIPSegConfig`` (or CLIPConfig).

    Raises:
        ConfigError: A setting open_clip's CLIP cannot take (other
            activations in the two towers, LayerNorm eps other than 1e-5).
    """
    vision, text = config.vision_config, config.text_config
    acts = {vision.hidden_act, text.hidden_act}
    eps = {vision.layer_norm_eps, text.layer_norm_eps}
    if len(acts) > 1 or not acts <= {'quick_gelu', 'gelu'} or eps != {1e-5}:
        raise ConfigError(f'a CLIP with activations {sorted(acts)} and '
                          f'LayerNorm eps {sorted(eps)}: open_clip builds '
                          'one activation (gelu or quick_gelu) and eps 1e-5')
    return dict(
        embed_dim=config.projection_dim,
        quick_gelu=acts == {'quick_gelu'},
        vision_cfg=dict(
            image_size=vision.image_size,
            layers=vision.num_hidden_layers,
            width=vision.hidden_size,
            head_width=vision.hidden_size // vision.num_attention_heads,
            mlp_ratio=vision.intermediate_size / vision.hidden_size,
            patch_size=vision.patch_size),
        text_cfg=dict(
            context_length=text.max_position_embeddings,
            vocab_size=text.vocab_size,
            width=text.hidden_size,
            heads=text.num_attention_heads,
            layers=text.num_hidden_layers,
            mlp_ratio=text.intermediate_size / text.hidden_size))


def head_config(config) -> dict:
    """The ``CLIPSegHead`` config of a ``CLIPSegConfig``."""
    return dict(
        type='CLIPSegHead',
        in_channels=config.vision_config.hidden_size,
        embed_dim=config.projection_dim,
        num_stages=len(config.extract_layers),
        patch_size=config.vision_config.patch_size,
        channels=config.reduce_dim,
        num_heads=config.decoder_num_attention_heads,
        ffn_channels=config.decoder_intermediate_size,
        conditional_layer=config.conditional_layer,
        refined=config.use_complex_transposed_convolution,
        attn_dropout=config.vision_config.attention_dropout)


def head_for_clip(head: dict, clip, num_stages: int) -> dict:
    """A ``CLIPSegHead`` config with the sizes it leaves out taken from an
    open_clip ViT ``clip``."""
    head = dict(head)
    head.setdefault('in_channels', clip.visual.transformer.width)
    head.setdefault('embed_dim', clip.text_projection.shape[1])
    head.setdefault('patch_size', clip.visual.conv1.stride[0])
    head.setdefault('num_stages', num_stages)
    return head
