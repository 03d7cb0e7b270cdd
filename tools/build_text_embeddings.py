"""Encode a vocabulary with a CLIP teacher and save the text bank.

    python tools/build_text_embeddings.py --model-name ViT-B-16 \\
        --checkpoint checkpoints/ViT-B-16.pt --class-names coco_stuff171 \\
        --out work_dirs/coco_stuff171_vit-b16.pt

The bank is also stored in the teacher's text cache, so later runs with the
same model, weights, templates and names load it instead of re-encoding.
"""
import argparse

from vlkd_seg.models import CLIPTeacher
from vlkd_seg.utils import load_class_names, user_errors
from vlkd_seg.utils.io import save_atomically


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        '--model-name',
        required=True,
        help='open_clip architecture or JSON model config')
    parser.add_argument('--checkpoint', help='local CLIP weights file')
    parser.add_argument(
        '--class-names',
        required=True,
        help='packaged vocabulary (voc20, ...) or a file')
    parser.add_argument(
        '--templates',
        default='maskclip',
        help='template set: maskclip, vild or single')
    parser.add_argument(
        '--descriptions', help='file with one description per class')
    parser.add_argument('--out', help='where to save {names, embeddings}')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    with user_errors():
        names = load_class_names(args.class_names)
        teacher = CLIPTeacher(
            args.model_name,
            checkpoint=args.checkpoint,
            templates=args.templates)
        bank = teacher.encode_text(names, descriptions=args.descriptions)
    print(f'{len(names)} classes x {len(teacher.templates)} templates -> '
          f'{tuple(bank.shape)} (cached in {teacher.text_cache.cache_dir})')
    if args.out:
        save_atomically(dict(names=names, embeddings=bank.cpu()), args.out)
        print(f'saved to {args.out}')


if __name__ == '__main__':
    main()
