import sys
from types import SimpleNamespace

import mmengine.dist
import pytest
import torch
from torch import nn

from vlkd_seg.engine import RankConsistencyHook


def test_checksum_sees_a_change_in_any_parameter():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.Linear(4, 2))
    before = RankConsistencyHook.checksum(model)
    assert before.dtype == torch.float64
    assert torch.equal(before, RankConsistencyHook.checksum(model))
    with torch.no_grad():
        model[1].bias[0] += 1e-3
    assert not torch.equal(before, RankConsistencyHook.checksum(model))


def test_checksum_depends_on_which_parameter_holds_a_value():
    a, b = nn.Linear(2, 2, bias=False), nn.Linear(2, 2, bias=False)
    with torch.no_grad():
        a.weight.zero_()
        b.weight.zero_()
    swapped_a = nn.ModuleList([a, b])
    swapped_b = nn.ModuleList([b, a])
    with torch.no_grad():
        a.weight[0, 0] = 1
    assert not torch.equal(
        RankConsistencyHook.checksum(swapped_a),
        RankConsistencyHook.checksum(swapped_b))


@pytest.mark.parametrize('other_rank', [1.0, 1.001])
def test_after_train_raises_when_another_rank_disagrees(
        monkeypatch, other_rank):
    """Two simulated ranks: the other one reports this rank's checksum
    times ``other_rank``."""
    gathered = []

    def all_gather(data, group=None):
        gathered.append(data)
        return [data, data * other_rank]

    hook_module = sys.modules[RankConsistencyHook.__module__]
    for target in (mmengine.dist, hook_module):
        strict = target is mmengine.dist
        monkeypatch.setattr(
            target, 'get_world_size', lambda group=None: 2, raising=strict)
        monkeypatch.setattr(target, 'all_gather', all_gather, raising=strict)
    torch.manual_seed(0)
    model = nn.Linear(3, 2)
    logged = []
    runner = SimpleNamespace(
        model=model, logger=SimpleNamespace(info=logged.append))
    if other_rank == 1.0:
        RankConsistencyHook().after_train(runner)
        assert logged and '2 ranks agree' in logged[0]
    else:
        with pytest.raises(
                RuntimeError,
                match='ranks disagree on the '
                'weights after training'):
            RankConsistencyHook().after_train(runner)
    assert len(gathered) == 1
    torch.testing.assert_close(gathered[0].flatten(),
                               RankConsistencyHook.checksum(model).flatten())
