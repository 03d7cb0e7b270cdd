"""Write the embedded synthetic world: ``python tools/generate_world.py``.

Scenes of eight object classes with pixel masks and captions, in the mmseg
folder layout (see ``vlkd_seg/datasets/world_generator.py``). Deterministic:
the same arguments always give the same files.
"""
import argparse

from vlkd_seg.datasets import generate_world
from vlkd_seg.demo import world_root
from vlkd_seg.utils.cli import at_least, user_errors


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        'root',
        nargs='?',
        default=world_root(),
        help='output folder (default: %(default)s)')
    parser.add_argument(
        '--train',
        type=at_least(1),
        default=2000,
        help='number of training scenes')
    parser.add_argument(
        '--val',
        type=at_least(1),
        default=200,
        help='number of validation scenes')
    parser.add_argument(
        '--size', type=at_least(32), default=64, help='image size')
    parser.add_argument('--seed', type=at_least(0), default=0)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    root = generate_world(
        args.root,
        dict(train=args.train, val=args.val),
        size=args.size,
        seed=args.seed)
    print(f'synthetic world ready at {root}')


if __name__ == '__main__':
    with user_errors():
        main()
