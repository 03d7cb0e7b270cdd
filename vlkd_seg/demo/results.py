"""The demo's numbers: validation curves, mean +- std over seeds and the
printed table."""
import glob
import json
import os.path as osp
from typing import Dict, List, Optional, Sequence

import numpy as np

#: Metrics of the demo's runs, as the ZeroShotIoUMetric names them.
KEYS = ('mIoU_seen', 'mIoU_unseen', 'hIoU', 'mIoU')
_TITLES = dict(student='MaskCLIP+ student', oracle='oracle (all labels)')


def val_curve(run_dir: str) -> List[Dict]:
    """Validation metrics of a run over its iterations.

    Args:
        run_dir (str): Work dir of the run; its newest ``scalars.json``
            is read.

    Returns:
        list[dict]: ``step`` and every metric of :data:`KEYS`, per
        validation.
    """
    scalars = sorted(
        glob.glob(osp.join(run_dir, '*', 'vis_data', 'scalars.json')))[-1]
    with open(scalars) as f:
        records = [json.loads(line) for line in f]
    return [
        dict(step=r['step'], **{k: r[k]
                                for k in KEYS}) for r in records
        if 'mIoU_unseen' in r
    ]


def mean_std(runs: List[Dict],
             field: str = 'metrics',
             keys: Optional[Sequence[str]] = KEYS) -> Dict:
    """Mean and std over runs of every metric of :data:`KEYS` (of ``keys``
    of each run's ``field``; None: all of the first run's)."""
    keys = list(runs[0][field]) if keys is None else keys
    values = {k: [r[field][k] for r in runs] for k in keys}
    mean = {k: float(np.mean(v)) for k, v in values.items()}
    std = {k: float(np.std(v)) for k, v in values.items()}
    return dict(mean=mean, std=std)


def _unseen_share(runs: Dict) -> Dict:
    """Student unseen mIoU as a share of its oracle's, mean and std."""
    shares = [
        s['metrics']['mIoU_unseen'] / max(o['metrics']['mIoU_unseen'], 1e-6)
        for s, o in zip(runs['student'], runs['oracle'])
    ]
    return dict(mean=float(np.mean(shares)), std=float(np.std(shares)))


def summarise(teacher: Dict, runs: Dict, seeds: Sequence[int], iters: int,
              unseen: Sequence[str]) -> Dict:
    """Teacher metrics, and per kind the runs and their mean +- std.

    Args:
        teacher (dict): Test metrics of the training-free teacher.
        runs (dict): ``student`` and ``oracle`` lists of runs (``seed``,
            ``metrics``, ``curve``, ``self_train_start`` and ``runner``,
            which is left out of the summary); ``oracle`` may be empty.
        seeds (Sequence[int]): Seeds of the runs.
        iters (int): Training iterations of every run.
        unseen (Sequence[str]): Names of the unseen classes.

    Returns:
        dict: JSON-ready results.
    """
    results = dict(
        seeds=list(seeds), iters=iters, unseen=list(unseen), teacher=teacher)
    for kind, kind_runs in runs.items():
        if kind_runs:
            results[kind] = dict(
                **mean_std(kind_runs),
                runs=[{
                    k: v
                    for k, v in r.items() if k != 'runner'
                } for r in kind_runs])
    if runs['oracle']:
        results['student_unseen_vs_oracle'] = _unseen_share(runs)
    return results


def _row(title: str, cells: Sequence[str]) -> str:
    return f'{title:<34}' + ''.join(f'{c:>16}' for c in cells)


def report(results: Dict, files: List[str]) -> None:
    """Print the results of :func:`summarise` and the files written."""
    seeds = ', '.join(map(str, results['seeds']))
    lines = [
        '', f'[demo] synthetic world, unseen classes: '
        f'{", ".join(results["unseen"])}; seeds {seeds}; '
        f'{results["iters"]} student iterations',
        _row('model', KEYS),
        _row('MaskCLIP teacher (training-free)',
             [f'{results["teacher"][k]:.2f}' for k in KEYS])
    ]
    for kind, title in _TITLES.items():
        if kind in results:
            mean, std = results[kind]['mean'], results[kind]['std']
            lines.append(
                _row(title, [f'{mean[k]:.2f} +- {std[k]:.2f}' for k in KEYS]))
    if 'student_unseen_vs_oracle' in results:
        share = results['student_unseen_vs_oracle']
        lines.append(f'student unseen mIoU / oracle unseen mIoU: '
                     f'{share["mean"]:.3f} +- {share["std"]:.3f}')
    lines += [''] + [f'wrote {f}' for f in files]
    print('\n'.join(lines))
