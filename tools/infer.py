"""Segment your own images with any vocabulary.

    python tools/infer.py CONFIG [CHECKPOINT] INPUT... \\
        --vocabulary "cat,sofa,window" | --vocabulary-file F \\
        [--descriptions F] [--out DIR] [--device cpu|cuda] [--opacity 0.5]
    python tools/infer.py CLIPSEG_CONFIG [CHECKPOINT] INPUT... \\
        --prompt "the red kite" [--prompt ...] \\
        [--prompt-image IMG --prompt-mask MASK ...] [--out DIR]

CONFIG is any recipe; CHECKPOINT (a ``.pth`` file) is what
``tools/train.py`` wrote, and only the training-free MaskCLIP configs do
without one. INPUT is images or folders of images. Per image, ``--out``
gets ``NAME_overlay.png`` (the image with the classes found coloured and a
legend; a class keeps its colour in every image), ``NAME_labels.png`` (the
label map: pixel value = index in the vocabulary) and ``NAME.json`` (the
vocabulary and, per class found, its share of the pixels). Every pixel
gets one of the given classes: add a catch-all such as ``background`` or
``other`` for what is none of them. An image that cannot be read is one
``error:`` line; the others are still written. Every file is written whole
or not at all, ``NAME.json`` last: a rerun (after a kill, say) skips the
images whose outputs are complete for the same model, vocabulary or
prompts and options (``--overwrite`` redoes them).

With a CLIPSeg config, ``--prompt`` (a phrase) and ``--prompt-image`` with
its ``--prompt-mask`` (an example: a support image and a mask of the same
size, nonzero on the example) each ask for one mask instead: per image,
``NAME_prompt{i}.png`` (the probability, 0-255) and ``NAME.json`` (the
prompts and each mask's share of the pixels above 0.5).
"""
import argparse
import json
import os.path as osp
import sys

from mmengine.config import DictAction
from mmengine.utils import ProgressBar

from vlkd_seg.apis import (encode_prompts, expand_inputs, init_segmenter,
                           outputs_complete, prompt_masks, segment,
                           set_vocabulary, write_prompt_masks,
                           write_segmentation)
from vlkd_seg.utils import (ConfigError, UserError, load_class_names, one_line,
                            user_errors)
from vlkd_seg.utils.cli import fraction
from vlkd_seg.utils.io import make_output_dir

#: what a checkpoint path ends in, told apart from the images
CHECKPOINT_SUFFIXES = ('.pth', '.pt')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog='\n'.join(__doc__.splitlines()[2:]))
    parser.add_argument('config', help='config file of the model')
    parser.add_argument(
        'inputs',
        nargs='+',
        metavar='[CHECKPOINT] INPUT',
        help='optional checkpoint (.pth), then images or folders')
    vocabulary = parser.add_mutually_exclusive_group()
    vocabulary.add_argument('--vocabulary', help='comma-separated class names')
    vocabulary.add_argument(
        '--vocabulary-file', help='file with one class name per line')
    parser.add_argument(
        '--descriptions', help='file with one sentence per class')
    parser.add_argument(
        '--prompt', action='append', default=[], help='a phrase (CLIPSeg)')
    parser.add_argument(
        '--prompt-image',
        action='append',
        default=[],
        help='a support image (CLIPSeg), with --prompt-mask')
    parser.add_argument(
        '--prompt-mask',
        action='append',
        default=[],
        help='the mask of the example in the --prompt-image before it')
    parser.add_argument('--out', default='work_dirs/infer')
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--opacity', type=fraction, default=0.5)
    parser.add_argument(
        '--overwrite',
        action='store_true',
        help='redo images whose outputs an earlier run wrote')
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction, help='overrides')
    parser.add_argument(
        '--debug', action='store_true', help='tracebacks of input errors')
    args = parser.parse_args(argv)
    late = [p for p in args.inputs[1:] if p.endswith(CHECKPOINT_SUFFIXES)]
    if late:
        parser.error(f'{late[0]} looks like a checkpoint among the images: '
                     'give it right after the config (CONFIG CHECKPOINT '
                     'IMAGES)')
    first = args.inputs[0]
    is_checkpoint = first.endswith(CHECKPOINT_SUFFIXES) and len(
        args.inputs) > 1
    args.checkpoint = first if is_checkpoint else None
    args.inputs = args.inputs[1:] if is_checkpoint else args.inputs
    return args


def prompt_mode(args) -> bool:
    """Whether the command asks for prompts rather than a vocabulary."""
    prompts = bool(args.prompt or args.prompt_image or args.prompt_mask)
    vocabulary = bool(args.vocabulary or args.vocabulary_file)
    if prompts == vocabulary:
        raise ConfigError('give a vocabulary (--vocabulary / '
                          '--vocabulary-file) or prompts (--prompt, '
                          '--prompt-image with --prompt-mask), one of them')
    if len(args.prompt_image) != len(args.prompt_mask):
        raise ConfigError(
            f'{len(args.prompt_image)} --prompt-image for '
            f'{len(args.prompt_mask)} --prompt-mask: give each prompt image '
            'its mask')
    return prompts


def vocabulary(args) -> list:
    """The class names the command line gives, read as the Python API
    reads them (comma-separated names, a file or a packaged vocabulary)."""
    return load_class_names(args.vocabulary_file or args.vocabulary)


def requests(args, names, images) -> list:
    """Per image, what its outputs depend on, as JSON stores it."""
    absolute = [osp.abspath(p) for p in args.prompt_image + args.prompt_mask]
    common = dict(
        config=osp.abspath(args.config),
        checkpoint=args.checkpoint and osp.abspath(args.checkpoint),
        cfg_options=args.cfg_options,
        asked=dict(prompts=args.prompt + absolute) if names is None else dict(
            vocabulary=list(names)),
        descriptions=args.descriptions and osp.abspath(args.descriptions),
        opacity=args.opacity)
    return [
        json.loads(json.dumps(dict(common, image=image), default=str))
        for image in images
    ]


def segment_one(model, args, names, asked, request) -> None:
    """Segment one image and write what the mode asks for: the vocabulary
    ``names``, or the prompts ``asked`` (names, embeddings, pipelines)."""
    if asked is not None:
        write_prompt_masks(
            prompt_masks(model, request['image'], *asked), args.out, request)
    else:
        (sample, ) = segment(model, request['image'])
        write_segmentation(sample, names, model.dataset_meta['palette'],
                           args.out, args.opacity, request)


def run(args) -> int:
    """Segment and write every image; the number that failed."""
    prompts = prompt_mode(args)
    make_output_dir(args.out, '--out')
    model = init_segmenter(args.config, args.checkpoint, args.device,
                           args.cfg_options)
    names = None if prompts else set_vocabulary(model, vocabulary(args),
                                                args.descriptions)
    # the prompts are encoded once, for every image
    asked = (*encode_prompts(model, args.prompt,
                             list(zip(args.prompt_image, args.prompt_mask))),
             {}) if prompts else None
    images, failed = [], 0
    for item in args.inputs:
        try:
            images += expand_inputs(item)
        except UserError as err:
            failed += 1
            print(f'error: {one_line(err)}', file=sys.stderr)
    todo = [
        r for r in requests(args, names, images)
        if args.overwrite or not outputs_complete(args.out, r)
    ]
    written = 0
    progress = ProgressBar(len(todo), file=sys.stderr)
    for request in todo:
        try:
            segment_one(model, args, names, asked, request)
            written += 1
        except UserError as err:
            failed += 1
            print(f'\nerror: {one_line(err)}', file=sys.stderr)
        progress.update()
    what = (f'{len(names)} classes' if names else
            f'{len(args.prompt) + len(args.prompt_image)} prompts')
    done = len(images) - len(todo)
    print(f'\n{written} images segmented into {args.out} ({what}); '
          f'{failed} failed' + (f'; {done} already there from an earlier run '
                                'with the same request (skipped; '
                                '--overwrite redoes them)' if done else ''))
    return failed


def main(argv=None):
    args = parse_args(argv)
    with user_errors(args.debug):
        failed = run(args)
    if failed:
        sys.exit(1)


if __name__ == '__main__':
    main()
