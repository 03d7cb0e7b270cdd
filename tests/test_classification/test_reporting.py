import json
import math
from types import SimpleNamespace

import pytest

from vlkd_seg.classification import LastEvaluationsHook, average_last


def test_mean_of_the_last_five_evaluations_per_metric():
    history = [dict(id_acc=float(e), ood_acc=10. * e) for e in range(1, 9)]
    history[-1]['M_rel'] = 0.5  # a metric only the last one reports
    mean = average_last(history, n=5)
    assert mean['id_acc'] == pytest.approx((4 + 5 + 6 + 7 + 8) / 5)
    assert mean['ood_acc'] == pytest.approx(60.)
    assert mean['M_rel'] == 0.5
    # fewer evaluations than n: the mean of those there are
    assert average_last(history[:2], n=5)['id_acc'] == 1.5
    # a NaN (a set with no sample) is left out of the mean
    history[-1]['id_acc'] = math.nan
    assert average_last(history, n=5)['id_acc'] == pytest.approx(5.5)


def test_hook_writes_the_mean_after_training(tmp_path):
    hook = LastEvaluationsHook(n=2, out_file='avg.json')
    runner = SimpleNamespace(epoch=0, iter=0, work_dir=str(tmp_path))
    for epoch, acc in enumerate([10., 20., 40.], 1):
        runner.epoch = epoch
        hook.after_val_epoch(runner, {'vlkd/ood_acc': acc})
    hook.after_train(runner)
    with open(tmp_path / 'avg.json') as f:
        written = json.load(f)
    assert written['mean'] == {'vlkd/ood_acc': 30.}
    assert [h['epoch'] for h in written['history']] == [1, 2, 3]
