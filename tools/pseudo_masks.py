"""Write an image-tag recipe's pseudo-masks once and score them.

    python tools/pseudo_masks.py CONFIG --out DIR [--no-threshold]
        [--score-only] [--device cpu|cuda] [--cfg-options ...]

For every training image of CONFIG (an image-tag recipe such as
``configs/kd/clip-es_*``), the teacher's pseudo-mask (the image's tags and
background, attention and CRF refinement and confidence threshold as the
recipe sets them) goes to ``DIR/NAME.png`` (class ids, 255 = ignored);
images already there are skipped, and ``DIR/pseudo_masks.json`` keeps a
folder to one teacher and one set of settings. Where the dataset has true
masks, the masks' mIoU is printed and written to ``DIR/scores.json``
(CLIP-ES's "pseudo mask quality" is scored with ``--no-threshold``). The
folder is in mmseg's layout: a fully supervised recipe pointed at it
(``seg_map_path``) trains a student on fixed masks, as CLIP-ES does.
"""
import argparse
import os.path as osp

from mmengine.config import DictAction

from vlkd_seg.apis import (build_tag_model, pseudo_mask_loader,
                           score_pseudo_masks, write_pseudo_masks)
from vlkd_seg.utils import load_config, user_errors
from vlkd_seg.utils.io import make_output_dir, write_json_atomically


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog='\n'.join(__doc__.splitlines()[2:]))
    parser.add_argument('config', help='an image-tag recipe')
    parser.add_argument('--out', required=True, help='folder of the masks')
    parser.add_argument(
        '--no-threshold',
        action='store_true',
        help='label every pixel (confidence_thresh 0)')
    parser.add_argument(
        '--score-only', action='store_true', help='score the folder only')
    parser.add_argument('--device', default='cpu')
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction, help='overrides')
    return parser.parse_args(argv)


def main(argv=None) -> dict:
    args = parse_args(argv)
    cfg = load_config(args.config, args.cfg_options)
    make_output_dir(args.out, '--out')
    cfg.work_dir = osp.join(args.out, 'runner')
    loader = pseudo_mask_loader(cfg)
    names = loader.dataset.metainfo['classes']
    if not args.score_only:
        model = build_tag_model(cfg, args.device, args.no_threshold)
        n = write_pseudo_masks(model, loader, args.out)
        print(f'[pseudo-masks] {n} written to {args.out}')
    scores = score_pseudo_masks(args.out, loader, names)
    write_json_atomically(scores, osp.join(args.out, 'scores.json'))
    print(f"[pseudo-masks] mIoU {scores['mIoU']:.2f} over "
          f"{scores['images']} images ({scores['ignored']:.1%} ignored)")
    return scores


if __name__ == '__main__':
    with user_errors():
        main()
