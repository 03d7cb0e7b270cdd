"""Link tiered-ImageNet's 448 classes out of an ImageNet copy.

    python tools/make_tiered_imagenet.py IMAGENET_ROOT data/tiered_imagenet

Writes ``OUT/{train,val}/<wnid>`` for the 351 ID (tiered-ImageNet training)
and 97 OOD (tiered-ImageNet validation) classes of the packaged
``tiered_imagenet`` split, as symlinks: ``train`` from
``IMAGENET_ROOT/train/<wnid>``, ``val`` from ``IMAGENET_ROOT/val/<wnid>``
or, for a flat validation folder, from mmpretrain's ``meta/val.txt``
(``ILSVRC2012_val_00000001.JPEG 65``). Nothing is copied.
"""
import argparse
import os
import os.path as osp
import sys

from vlkd_seg.classification import load_class_split
from vlkd_seg.utils.cli import user_errors


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('imagenet', help='ImageNet root (train/, val/)')
    parser.add_argument('out', help='output folder')
    return parser.parse_args(argv)


def _link_val(imagenet: str, out: str, wnids: list) -> None:
    """Per-class folders of the flat validation set from meta/val.txt."""
    from mmpretrain.datasets.categories import IMAGENET_CATEGORIES
    all_wnids = sorted(os.listdir(osp.join(imagenet, 'train')))
    if len(all_wnids) != len(IMAGENET_CATEGORIES):
        raise ValueError(f'{imagenet}/train has {len(all_wnids)} class '
                         'folders; the 1000 of ImageNet are needed to read '
                         'meta/val.txt labels')
    wanted = set(wnids)
    with open(osp.join(imagenet, 'meta', 'val.txt')) as f:
        for line in f:
            name, label = line.split()
            wnid = all_wnids[int(label)]
            if wnid in wanted:
                folder = osp.join(out, 'val', wnid)
                os.makedirs(folder, exist_ok=True)
                os.symlink(
                    osp.abspath(osp.join(imagenet, 'val', name)),
                    osp.join(folder, name))


def main(argv=None):
    args = parse_args(argv)
    wnids = load_class_split('tiered_imagenet').keys
    missing = [
        w for w in wnids if not osp.isdir(osp.join(args.imagenet, 'train', w))
    ]
    if missing:
        sys.exit(f'error: {len(missing)} tiered-ImageNet classes are not in '
                 f'{args.imagenet}/train (e.g. {missing[:3]})')
    if osp.exists(args.out):
        sys.exit(f'error: {args.out} exists; remove it or choose another')
    os.makedirs(osp.join(args.out, 'train'))
    for wnid in wnids:
        os.symlink(
            osp.abspath(osp.join(args.imagenet, 'train', wnid)),
            osp.join(args.out, 'train', wnid))
    if osp.isdir(osp.join(args.imagenet, 'val', wnids[0])):
        os.makedirs(osp.join(args.out, 'val'))
        for wnid in wnids:
            os.symlink(
                osp.abspath(osp.join(args.imagenet, 'val', wnid)),
                osp.join(args.out, 'val', wnid))
    else:
        _link_val(args.imagenet, args.out, wnids)
    print(f'linked {len(wnids)} classes into {args.out}/{{train,val}}')


if __name__ == '__main__':
    with user_errors():
        main()
