"""Test a trained model on datasets it did not train on, a row each.

    python tools/cross_dataset_test.py CONFIG CHECKPOINT \
        --targets configs/_base_/datasets/pascal_voc12_aug.py ... \
        [--other background]

Each target is a config whose ``test_dataloader`` names the dataset (a
``configs/_base_/datasets`` file, or a user's). The model names its own
classes and, zero-shot, those of the target that it lacks (matched by name
or by a synonym of the training ``UnifiedDataset``); its predictions are
scored in the target's classes (``LabelSpaceIoUMetric``: a class the target
does not have becomes the target's ``--other`` class where it has one, a
miss elsewhere). ``mIoU_unseen`` is the mIoU of the target's classes no
training dataset named. The rows are written to
``WORK_DIR/cross_dataset.json``.
"""
import argparse
import os.path as osp
from typing import Dict, List

from mmengine.runner import Runner
from mmseg.registry import DATASETS

from vlkd_seg.apis import evaluate_on_dataset, set_vocabulary
from vlkd_seg.datasets import unify_label_spaces
from vlkd_seg.utils import (ConfigError, MissingFileError, load_config,
                            load_trained_weights, setup_device, user_errors)
from vlkd_seg.utils.io import make_output_dir, write_json_atomically
from vlkd_seg.utils.vocabulary import load_class_names


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config', help='the training config')
    parser.add_argument('checkpoint', help='its checkpoint (.pth)')
    parser.add_argument(
        '--targets', nargs='+', required=True, help='dataset configs')
    parser.add_argument(
        '--other', help="the targets' catch-all class, e.g. background")
    parser.add_argument('--work-dir', help='where the rows are written')
    parser.add_argument(
        '--debug', action='store_true', help='show tracebacks of input errors')
    return parser.parse_args(argv)


def training_synonyms(cfg) -> List[List[str]]:
    """The synonym groups of the config's training ``UnifiedDataset``."""
    dataset = (cfg.get('train_dataloader') or {}).get('dataset') or {}
    if dataset.get('type') != 'UnifiedDataset':
        return []
    return [list(g) for g in dataset.get('synonyms', [])]


def target_classes(target: str, cfg) -> List[str]:
    """The class names of a target dataset: the config's ``class_names``
    (the dataset bases name theirs), its metainfo's, or its type's."""
    if cfg.get('class_names') is not None:
        return load_class_names(cfg.class_names)
    dataset = cfg.test_dataloader.dataset
    classes = (dataset.get('metainfo') or {}).get('classes')
    if classes is None:
        dataset_type = DATASETS.get(dataset.get('type'))
        classes = getattr(dataset_type, 'METAINFO', {}).get('classes')
    if not classes or isinstance(classes, str):
        raise ConfigError(f'target {target}: its test dataset names no '
                          "classes: give it metainfo=dict(classes=[...])")
    return list(classes)


def test_target(runner: Runner, target: str, cfg, own: List[str],
                synonyms: List[List[str]], other) -> Dict:
    """One row: the model's classes plus the target's new ones named, the
    predictions scored in the target's classes."""
    dataset = cfg.test_dataloader.dataset
    classes = target_classes(target, cfg)
    known = set(own) | set(classes)
    groups = [[n for n in g if n in known] for g in synonyms]
    spaces = unify_label_spaces(
        dict(model=own, target=classes), [g for g in groups if len(g) > 1])
    new = [i for i, u in enumerate(spaces.maps['target']) if u >= len(own)]
    vocabulary = own + [classes[i] for i in new]
    set_vocabulary(runner.model, vocabulary)
    try:
        metrics = evaluate_on_dataset(runner, dataset, vocabulary, synonyms,
                                      other if other in classes else None, new,
                                      classes)
    finally:
        set_vocabulary(runner.model, own)
    return dict(target=target, classes=len(classes), new=len(new), **metrics)


def main(argv=None) -> List[Dict]:
    args = parse_args(argv)
    with user_errors(args.debug):
        if not osp.isfile(args.checkpoint):
            raise MissingFileError(f'checkpoint {args.checkpoint} does not '
                                   'exist: give the .pth tools/train.py wrote')
        targets = {t: load_config(t) for t in args.targets}
        bad = [
            t for t, c in targets.items()
            if not (c.get('test_dataloader') or {}).get('dataset')
        ]
        if bad:
            raise ConfigError(
                f'targets {bad} define no test_dataloader.dataset: give '
                'dataset configs, e.g. configs/_base_/datasets/'
                'pascal_voc12_aug.py')
        cfg = load_config(args.config)
        name = osp.splitext(osp.basename(args.config))[0]
        cfg.work_dir = make_output_dir(
            args.work_dir or osp.join('work_dirs', name, 'cross_dataset'),
            '--work-dir')
        setup_device(cfg, 'none')
        runner = Runner.from_cfg(cfg)
        load_trained_weights(runner.model, args.checkpoint)
        own = list(runner.model.class_names)
        synonyms = training_synonyms(cfg)
        rows = [
            test_target(runner, t, target, own, synonyms, args.other)
            for t, target in targets.items()
        ]
        write_json_atomically(rows, osp.join(cfg.work_dir,
                                             'cross_dataset.json'))
    print(f'\n{"target":<60}{"classes":>8}{"new":>5}{"mIoU":>8}'
          f'{"mIoU new":>10}')
    for row in rows:
        print(f'{row["target"]:<60}{row["classes"]:>8}{row["new"]:>5}'
              f'{row["mIoU"]:>8.2f}{row["mIoU_unseen"]:>10.2f}')
    return rows


if __name__ == '__main__':
    main()
