"""Pretrain the embedded world's CLIP teacher on scene captions.

    python tools/pretrain_world_clip.py [--steps 500] [--arch vit]

Contrastive image-caption training from scratch (every class, image level
only). The checkpoint is cached and reused; a corrupt one is rebuilt.
"""
import argparse

from vlkd_seg.datasets import generate_world
from vlkd_seg.demo import (WORLD_CLIP_CONFIG, WORLD_CLIP_VIT_CONFIG,
                           ensure_world_clip, world_clip_checkpoint,
                           world_root)
from vlkd_seg.utils import user_errors
from vlkd_seg.utils.cli import at_least

CONFIGS = dict(rn=WORLD_CLIP_CONFIG, vit=WORLD_CLIP_VIT_CONFIG)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--world', default=world_root())
    parser.add_argument(
        '--arch',
        choices=sorted(CONFIGS),
        default='rn',
        help='the RN CLIP (MaskCLIP+ demo) or the ViT one (ZegCLIP)')
    parser.add_argument(
        '--model-config', help='open_clip JSON config (default: --arch)')
    parser.add_argument(
        '--out', help='weights file (default: the cache path of --arch)')
    parser.add_argument('--steps', type=at_least(1), default=500)
    parser.add_argument('--batch-size', type=at_least(2), default=64)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    generate_world(args.world)
    out = ensure_world_clip(
        args.world,
        args.model_config or CONFIGS[args.arch],
        args.out or world_clip_checkpoint(arch=args.arch),
        steps=args.steps,
        batch_size=args.batch_size)
    print(f'world CLIP ready at {out}')


if __name__ == '__main__':
    with user_errors():
        main()
