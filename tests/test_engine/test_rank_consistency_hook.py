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
