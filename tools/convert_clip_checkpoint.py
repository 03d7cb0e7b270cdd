"""Convert CLIP weights to one open_clip state dict, checking every key.

    python tools/convert_clip_checkpoint.py SRC DST --model-name ViT-B-16

SRC may be an OpenAI TorchScript release file (``ViT-B-16.pt``), an
open_clip / PyTorch state dict (optionally wrapped in ``state_dict``) or an
open_clip safetensors file (``open_clip_model.safetensors`` of the hub
repos). The weights are loaded into the named architecture, which must fit
them exactly, and saved as a plain state dict that loads with
``weights_only=True``.
"""
import argparse

from vlkd_seg.models.teachers.clip_checkpoint import (create_clip,
                                                      load_clip_weights,
                                                      load_state_dict)
from vlkd_seg.utils import user_errors
from vlkd_seg.utils.io import save_atomically


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('src', help='weights file to convert')
    parser.add_argument('dst', help='output .pt file')
    parser.add_argument(
        '--model-name',
        required=True,
        help='open_clip architecture or JSON model config')
    return parser.parse_args(argv)


def convert(src: str, dst: str, model_name: str) -> int:
    """Convert ``src`` into ``dst``; returns the number of tensors."""
    state, is_openai = load_state_dict(src)
    model = create_clip(model_name, quick_gelu=is_openai)
    load_clip_weights(model, state, src)
    save_atomically(model.state_dict(), dst)  # never half-written
    return len(model.state_dict())


def main(argv=None):
    args = parse_args(argv)
    with user_errors():
        count = convert(args.src, args.dst, args.model_name)
    print(f'{args.src} -> {args.dst}: {count} tensors, every key of '
          f'{args.model_name} matched')


if __name__ == '__main__':
    main()
