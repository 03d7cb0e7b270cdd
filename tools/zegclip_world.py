"""Inductive zero-shot models on the embedded world beside their teacher.

ZegCLIP, the students distilled from it and CLIPSeg, beside the
training-free MaskCLIP teacher of the same CLIP:

1. the world (cached) and its ViT CLIP (pretrained on captions, cached);
   the world's 8 objects are the classes, its background is ignored (as
   VOC-20 and COCO-Stuff are set up for zero-shot segmentation);
2. the training-free MaskCLIP teacher with that CLIP;
3. per seed, inductive ZegCLIP (the scenes holding an unseen object are
   left out of training) and its fully supervised oracle (every scene and
   class), same model and schedule;
4. per seed, the tiny FCN distilled from that seed's inductive ZegCLIP
   (its predictions label the student's unlabeled, unseen pixels:
   ``distilled``) and, as the control, from the MaskCLIP teacher
   (``maskclip_plus``), same student and schedule;
5. per seed, inductive CLIPSeg trained on the seen class names
   (``clipseg``: same scenes, CLIP and iterations as ZegCLIP, the
   semantic mode at test) and on the seen objects' phrases
   (``clipseg_phrases``, ``vlkd_seg.datasets.world_phrases``), with the
   binary IoU of each object's phrase and of an image prompt of it;
6. per seed, inductive FreeSeg (``freeseg``: the same scenes and CLIP,
   proposals named by their queries and by the CLIP's view of each masked
   crop) with the recall of the unseen objects by its proposals (IoU 0.5),
   and its two stages with learned prompts (``freeseg_prompts``: the
   prompts learned on the seen objects' crops, tested as MaskCLIP with
   them; ``freeseg_learned``: FreeSeg with that seed's prompts);
7. mean +- std over the seeds of mIoU seen / unseen / hIoU (and CLIPSeg's
   prompt IoUs, FreeSeg's proposal recall), written to ``results.json``.

    python tools/zegclip_world.py --seeds 0 1 2 --work-dir work_dirs/zegclip

``--kinds`` runs some of them (the students read ``inductive_seed{s}`` of
the same work dir).
"""
import argparse
import os.path as osp
from typing import Dict

from mmengine.runner import Runner

from vlkd_seg.datasets import generate_world
from vlkd_seg.datasets.world_phrases import write_world_phrases
from vlkd_seg.demo import (KEYS, WORLD_CLIP_VIT_CONFIG, ensure_world_clip,
                           mean_std, world_clip_checkpoint, world_root,
                           world_run_config)
from vlkd_seg.demo.prompt_iou import prompt_ious
from vlkd_seg.demo.proposal_recall import proposal_recall
from vlkd_seg.utils import load_config, user_errors
from vlkd_seg.utils.cli import at_least
from vlkd_seg.utils.io import (cache_root, make_output_dir,
                               write_json_atomically)

CONFIGS = osp.join(osp.dirname(osp.abspath(__file__)), '..', 'configs', 'demo')
TEACHER = osp.join(CONFIGS, 'maskclip_vit-world_synthetic-world.py')
RUNS = dict(
    inductive=osp.join(CONFIGS, 'zegclip_vit-world_synthetic-world.py'),
    oracle=osp.join(CONFIGS, 'zegclip-oracle_vit-world_synthetic-world.py'),
    distilled=osp.join(CONFIGS, 'zegclip-kd_fcn-r18-tiny_synthetic-world.py'),
    maskclip_plus=osp.join(
        CONFIGS, 'maskclip-plus_fcn-r18-tiny_vit-world_synthetic-world.py'),
    clipseg=osp.join(CONFIGS, 'clipseg_vit-world_synthetic-world.py'),
    clipseg_phrases=osp.join(CONFIGS,
                             'clipseg-phrases_vit-world_synthetic-world.py'),
    freeseg=osp.join(CONFIGS, 'freeseg_r18-tiny_vit-world_synthetic-world.py'),
    freeseg_prompts=osp.join(CONFIGS,
                             'freeseg-prompts_vit-world_synthetic-world.py'),
    freeseg_learned=osp.join(
        CONFIGS, 'freeseg-learned_r18-tiny_vit-world_synthetic-world.py'))
# students: labelled by this seed's inductive ZegCLIP, or by MaskCLIP
STUDENTS = ('distilled', 'maskclip_plus')
KINDS = ('inductive', 'oracle', *STUDENTS, 'clipseg', 'clipseg_phrases',
         'freeseg', 'freeseg_prompts', 'freeseg_learned')
# per-run figures beside the metrics, summarised over the seeds too
EXTRAS = ('prompts', 'proposals')
TITLES = dict(
    inductive='ZegCLIP inductive',
    oracle='ZegCLIP oracle',
    distilled='FCN student of ZegCLIP',
    maskclip_plus='FCN student of MaskCLIP',
    clipseg='CLIPSeg inductive',
    clipseg_phrases='CLIPSeg inductive, phrases',
    freeseg='FreeSeg inductive',
    freeseg_prompts='MaskCLIP, learned prompts',
    freeseg_learned='FreeSeg, learned prompts')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        '--seeds', type=at_least(0), nargs='+', default=[0, 1, 2])
    parser.add_argument('--iters', type=at_least(1), default=2000)
    parser.add_argument(
        '--student-iters',
        type=at_least(1),
        default=1000,
        help='iterations of the distilled FCN student')
    parser.add_argument(
        '--prompt-iters',
        type=at_least(1),
        default=1000,
        help='iterations of FreeSeg\'s stage 1 (learned prompts)')
    parser.add_argument(
        '--kinds', nargs='+', choices=KINDS, default=list(KINDS))
    parser.add_argument('--teacher-steps', type=at_least(1), default=500)
    parser.add_argument('--work-dir', default='work_dirs/zegclip_world')
    parser.add_argument('--cache', default=cache_root())
    return parser.parse_args(argv)


def train(kind: str, work: str, world: str, clip: str, seed: int,
          args: argparse.Namespace) -> Dict:
    """Train one run and test it: its seed and test metrics."""
    iters = dict(freeseg_prompts=args.prompt_iters).get(
        kind, args.student_iters if kind in STUDENTS else args.iters)
    cfg = world_run_config(RUNS[kind], osp.join(work, f'{kind}_seed{seed}'),
                           world, clip, iters)
    if kind == 'distilled':  # labelled by this seed's inductive ZegCLIP
        zegclip = osp.join(work, f'inductive_seed{seed}')
        cfg.model.labellers[0].update(
            config=osp.join(zegclip, osp.basename(RUNS['inductive'])),
            checkpoint=osp.join(zegclip, f'iter_{args.iters}.pth'))
    if kind == 'freeseg_learned':  # this seed's stage 1
        cfg.model.prompts.checkpoint = osp.join(
            work, f'freeseg_prompts_seed{seed}',
            f'iter_{args.prompt_iters}.pth')
    cfg.randomness = dict(seed=seed, deterministic=False)
    cfg.train_cfg.val_interval = cfg.train_cfg.max_iters
    runner = Runner.from_cfg(cfg)
    runner.train()
    run = dict(seed=seed, metrics=runner.test())
    if kind.startswith('clipseg'):
        run['prompts'] = prompt_ious(runner.model, world, _unseen(cfg))
    if kind.startswith('freeseg') and 'decode_head' in cfg.model:
        # unseen objects a proposal finds whole
        run['proposals'] = proposal_recall(runner.model,
                                           runner.test_dataloader,
                                           cfg.model.unseen_idx)
    return run


def _unseen(cfg) -> list:
    return [cfg.model.class_names[i] for i in cfg.model.unseen_idx]


def _line(title: str, mean: Dict = None, std: Dict = None) -> str:
    if mean is None:  # the header
        return f'{title:<30}' + ''.join(f'{k:>16}' for k in KEYS)
    cells = [
        f'{mean[k]:.2f}' + (f' +- {std[k]:.2f}' if std else '') for k in KEYS
    ]
    return f'{title:<30}' + ''.join(f'{c:>16}' for c in cells)


def main(argv=None) -> Dict:
    args = parse_args(argv)
    work = osp.abspath(make_output_dir(args.work_dir, '--work-dir'))
    world = world_root(args.cache)
    if not osp.isdir(world):  # the demo's world, if it is not cached yet
        generate_world(world)
    clip = ensure_world_clip(
        world,
        WORLD_CLIP_VIT_CONFIG,
        world_clip_checkpoint(args.cache, 'vit'),
        steps=args.teacher_steps)
    teacher = Runner.from_cfg(
        world_run_config(TEACHER, osp.join(work, 'teacher'), world, clip))
    results = dict(seeds=args.seeds, iters=args.iters, teacher=teacher.test())
    if 'clipseg_phrases' in args.kinds:
        write_world_phrases(world, _unseen(load_config(RUNS['clipseg'])))
    for kind in args.kinds:
        runs = [
            train(kind, work, world, clip, seed, args) for seed in args.seeds
        ]
        results[kind] = dict(**mean_std(runs), runs=runs)
        for extra in EXTRAS:
            if extra in runs[0]:
                results[kind][extra] = mean_std(runs, extra, keys=None)
    write_json_atomically(results, osp.join(work, 'results.json'))
    lines = [
        '',
        _line('model'),
        _line('MaskCLIP teacher (ViT CLIP)', results['teacher'])
    ]
    lines += [
        _line(TITLES[kind], results[kind]['mean'], results[kind]['std'])
        for kind in args.kinds
    ]
    lines += [
        f'{TITLES[kind]}, {extra}: ' +
        ', '.join(f'{k} {v:.2f} +- {results[kind][extra]["std"][k]:.2f}'
                  for k, v in results[kind][extra]['mean'].items())
        for kind in args.kinds for extra in EXTRAS if extra in results[kind]
    ]
    print('\n'.join(lines))
    return results


if __name__ == '__main__':
    with user_errors():
        main()
