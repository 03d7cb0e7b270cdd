"""Image-level VL distillation on the synthetic world: L_cls alone vs
L_cls + L_im-cst + L_vlprox (ID and zero-shot OOD accuracy, M_rel,
M_neigh, M_vlalign).

    python tools/world_classification.py [--steps 1500]

Uses the world CLIP teacher of ``make demo`` (trained if missing).
"""
import argparse
import os.path as osp

from vlkd_seg.apis import ensure_world_clip
from vlkd_seg.apis.world_classification import (WORLD_ID_CLASSES,
                                                WORLD_OOD_CLASSES,
                                                evaluate_student,
                                                single_object_scenes,
                                                train_student)
from vlkd_seg.datasets import WORLD_CLASSES, generate_world
from vlkd_seg.models import CLIPTeacher
from vlkd_seg.utils.io import cache_root

CACHE = cache_root()
CLIP_CONFIG = osp.join(
    osp.dirname(osp.abspath(__file__)), '..', 'configs', 'demo',
    'world_clip_rn.json')
METRICS = ('id_acc', 'ood_acc', 'M_rel', 'M_neigh@3', 'M_neigh@5',
           'M_neigh@10', 'M_vlalign@2', 'M_vlalign@3', 'M_vlalign@5')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--steps', type=int, default=1500)
    parser.add_argument('--train', type=int, default=2000)
    parser.add_argument('--test', type=int, default=800)
    parser.add_argument(
        '--teacher', default=osp.join(CACHE, 'world_clip', 'world_clip_rn.pt'))
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    world = generate_world(osp.join(CACHE, 'synthetic_world'))
    checkpoint = ensure_world_clip(world, CLIP_CONFIG, args.teacher)
    teacher = CLIPTeacher(
        CLIP_CONFIG, checkpoint=checkpoint, templates='single')
    text = teacher.encode_text(list(WORLD_CLASSES))
    train = single_object_scenes(args.train, WORLD_ID_CLASSES, seed=1)
    test = single_object_scenes(
        args.test, WORLD_ID_CLASSES + WORLD_OOD_CLASSES, seed=2)
    # train against the ID texts only: labels index the ID text rows
    id_text = text[list(WORLD_ID_CLASSES)]
    train['labels'] = (train['labels'][:, None] == train['labels'].new_tensor(
        WORLD_ID_CLASSES)).float().argmax(1)
    rows = {}
    for losses in (('cls', ), ('cls', 'im-cst', 'vlprox')):
        student = train_student(teacher, train, id_text, losses, args.steps)
        rows[' + '.join(f'L_{n}' for n in losses)] = evaluate_student(
            student, teacher, test, text, WORLD_ID_CLASSES, WORLD_OOD_CLASSES)
    print(f'\n{"losses":<28}' + ''.join(f'{m:>12}' for m in METRICS))
    for name, result in rows.items():
        print(f'{name:<28}' + ''.join(f'{result[m]:>12.3f}' for m in METRICS))
    return rows


if __name__ == '__main__':
    main()
