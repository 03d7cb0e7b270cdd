"""A run's results in the layout of Table 1 of Li et al. (2023): X_id,
0-shot X_ood and 5-shot X_ood mean per-class accuracy (%), each averaged
over the last 5 validations (``last_evaluations.json`` of the
distillation run and of its ``fewshot5`` run), beside the paper's numbers.

The paper's numbers here are the ones we could check: the teacher's
(CLIP ViT-L/14) zero-shot accuracy per dataset and the students' averages
over the six datasets. Its per-dataset student numbers and its 5-shot
numbers are not listed (not transcribed yet): the table prints ``-`` there.
"""
import json
import math
import os.path as osp
from typing import Dict, List, Optional

from vlkd_seg.utils.errors import ConfigError, MissingFileError

#: paper, CLIP ViT-L/14 teacher zero-shot mean per-class accuracy (X_id,
#: X_ood), per dataset (the authors' folder names)
PAPER_TEACHER = {
    'CaltechBirds': (70.0, 70.5),
    'StanfordCars': (79.3, 78.3),
    'Flower102': (74.4, 84.1),
    'Food101': (90.5, 91.2),
    'SUN397': (72.8, 74.4),
    'tiered-ImageNet': (71.1, 76.3),
}
#: paper, ResNet-18 student, mean over the six datasets (X_id, 0-shot X_ood)
PAPER_MEANS = {
    'L_cls': (65.4, 12.8),
    'L_cls + L_im-cst + L_vlprox': (68.7, 21.7),
    '+ enriched labels': (68.9, 23.6),
}
RESULTS_FILE = 'last_evaluations.json'


def read_mean(work_dir: str) -> Optional[Dict[str, float]]:
    """The averaged metrics of a run (prefixes dropped); None if absent.

    Raises:
        ConfigError: The results file is not what the runs write.
    """
    path = osp.join(work_dir, RESULTS_FILE)
    if not osp.isfile(path):
        return None
    try:
        with open(path) as f:
            mean = json.load(f)['mean']
        return {k.split('/')[-1]: float(v) for k, v in mean.items()}
    except (ValueError, KeyError, TypeError, AttributeError) as err:
        raise ConfigError(
            f'{path} is not a results file of a run ({type(err).__name__}: '
            f'{err}); delete it and rerun the validation that writes '
            'it') from None


def table_row(dataset: str, work_dir: str, shots: int = 5) -> dict:
    """X_id, 0-shot, 5-shot of a run and the teacher's accuracy (ours and
    the paper's).

    Raises:
        UserError: An unknown dataset, a missing work dir, or one without
            the run's results.
    """
    if dataset not in PAPER_TEACHER:
        raise ConfigError(f'unknown dataset {dataset!r}: one of '
                          f'{sorted(PAPER_TEACHER)} (the authors\' names)')
    if not osp.isdir(work_dir):
        raise MissingFileError(f'work dir {work_dir} of {dataset} does '
                               'not exist')
    zero = read_mean(work_dir)
    if zero is None:
        raise MissingFileError(
            f'{work_dir} holds no {RESULTS_FILE}: give the work dir of a '
            'finished distillation run (tools/train.py writes it)')
    few = read_mean(osp.join(work_dir, f'fewshot{shots}')) or {}
    paper = PAPER_TEACHER.get(dataset, (math.nan, math.nan))
    return dict(
        dataset=dataset,
        x_id=zero.get('id_acc', math.nan),
        zero_shot=zero.get('ood_acc', math.nan),
        few_shot=few.get('ood_acc', math.nan),
        teacher_id=zero.get('teacher_id_acc', math.nan),
        teacher_ood=zero.get('teacher_ood_acc', math.nan),
        paper_teacher_id=paper[0],
        paper_teacher_ood=paper[1])


def _cell(value: float) -> str:
    return '-' if value is None or math.isnan(value) else f'{value:.1f}'


def format_table(rows: List[dict], method: str = '+ enriched labels') -> str:
    """Table 1's layout, ours beside the paper's, and the six-dataset mean
    when every row has both numbers."""
    head = (f'{"dataset":<16} {"X_id":>6} {"paper":>6} {"0-shot":>7} '
            f'{"paper":>6} {"5-shot":>7} {"paper":>6} | {"teacher X_id":>12} '
            f'{"paper":>6} {"X_ood":>6} {"paper":>6}')
    lines = [head, '-' * len(head)]
    for r in rows:
        lines.append(
            f'{r["dataset"]:<16} {_cell(r["x_id"]):>6} {"-":>6} '
            f'{_cell(r["zero_shot"]):>7} {"-":>6} {_cell(r["few_shot"]):>7} '
            f'{"-":>6} | {_cell(r["teacher_id"]):>12} '
            f'{_cell(r["paper_teacher_id"]):>6} '
            f'{_cell(r["teacher_ood"]):>6} {_cell(r["paper_teacher_ood"]):>6}')
    paper = PAPER_MEANS[method]
    means = [
        sum(r[k] for r in rows) / len(rows) if rows else math.nan
        for k in ('x_id', 'zero_shot', 'few_shot')
    ]
    lines.append(f'{"mean":<16} {_cell(means[0]):>6} {_cell(paper[0]):>6} '
                 f'{_cell(means[1]):>7} {_cell(paper[1]):>6} '
                 f'{_cell(means[2]):>7} {"-":>6} |')
    lines.append(f'paper means are of the six datasets ({method!r}); a mean '
                 'over fewer datasets is not comparable with them')
    return '\n'.join(lines)
