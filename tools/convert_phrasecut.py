"""Convert PhraseCut for CLIPSeg training: ``python tools/convert_phrasecut.py
data/phrasecut``.

Writes ``{split}.jsonl`` (``PhraseMaskDataset``'s format) and the masks
rasterised from PhraseCut's polygons (``masks/{split}/``) for each split;
an interrupted run resumes where it stopped.
"""
import argparse

from vlkd_seg.datasets.phrasecut import convert_phrasecut
from vlkd_seg.utils import user_errors


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        'root', help='PhraseCut folder (refer_{split}.json, images/)')
    parser.add_argument(
        '--splits', nargs='+', default=['train', 'val', 'test'])
    parser.add_argument('--out', help='output folder (default: root)')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    for split in args.splits:
        print(f'wrote {convert_phrasecut(args.root, split, args.out)}')


if __name__ == '__main__':
    with user_errors():
        main()
