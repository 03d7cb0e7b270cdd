"""Accuracy as Li et al. report it: the mean of the last evaluations.

The authors' ``main_experiments.py`` evaluates after every (outer) epoch and
reports, per metric, the average of the last 5 evaluations (``log_avg.txt``)
rather than a checkpoint chosen on the test split.
"""
import math
from typing import Dict, List, Sequence


def average_last(history: Sequence[Dict[str, float]],
                 n: int = 5) -> Dict[str, float]:
    """Per metric, the mean over the last ``n`` evaluations that report it.

    Args:
        history (Sequence[dict]): Metrics of each evaluation, oldest first.
        n (int): How many of the last evaluations to average.

    Returns:
        dict: ``{metric: mean}``; NaN values (a set with no sample) are
        left out of a mean, and a metric that is NaN throughout is NaN.
    """
    if n < 1:
        raise ValueError(f'n must be at least 1, got {n}')
    keys: List[str] = []
    for metrics in history:
        keys += [k for k in metrics if k not in keys]
    result = {}
    for key in keys:
        values = [
            float(m[key]) for m in history
            if key in m and isinstance(m[key], (int, float))
        ][-n:]
        finite = [v for v in values if not math.isnan(v)]
        if values:
            result[key] = sum(finite) / len(finite) if finite else math.nan
    return result
