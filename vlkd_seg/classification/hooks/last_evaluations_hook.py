import os.path as osp
from typing import Dict, Optional

from mmengine.dist import master_only
from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmengine.registry import HOOKS

from vlkd_seg.utils.io import write_json_atomically
from ..reporting import average_last


@HOOKS.register_module()
class LastEvaluationsHook(Hook):
    """Report the mean of the last ``n`` validation results, the way Li et
    al. report accuracy (no checkpoint chosen on a test split).

    Every validation's metrics are kept; after training, the per-metric
    mean of the last ``n`` (:func:`average_last`) is logged and written,
    with every validation's metrics, to ``{work_dir}/{out_file}``. Give the
    schedule a ``val_interval`` that evaluates ``n`` times near its end (the
    authors: every epoch, or every 5 of the 450-epoch schedules).
    Registered in mmengine's root registry.

    Args:
        n (int): Validations to average.
        out_file (str): JSON file under the work dir.
    """
    priority = 'LOW'

    def __init__(self, n: int = 5, out_file: str = 'last_evaluations.json'):
        if n < 1:
            raise ValueError(f'n must be at least 1, got {n}')
        self.n = n
        self.out_file = out_file
        self.history = []

    def after_val_epoch(self,
                        runner,
                        metrics: Optional[Dict[str, float]] = None) -> None:
        self.history.append(
            dict(
                epoch=runner.epoch,
                iter=runner.iter,
                **{
                    k: float(v)
                    for k, v in (metrics or {}).items()
                }))

    @master_only
    def after_train(self, runner) -> None:
        if len(self.history) < self.n:
            print_log(
                f'only {len(self.history)} validations for a mean of the '
                f'last {self.n}: shorten val_interval',
                logger='current',
                level=30)
        metrics = [{
            k: v
            for k, v in h.items() if k not in ('epoch', 'iter')
        } for h in self.history]
        mean = average_last(metrics, self.n)
        print_log(
            f'mean of the last {min(self.n, len(metrics))} validations: ' +
            ', '.join(f'{k}: {v:.4f}' for k, v in mean.items()),
            logger='current')
        write_json_atomically(
            dict(n=self.n, mean=mean, history=self.history),
            osp.join(runner.work_dir, self.out_file))
