from collections import Counter

import pytest

from vlkd_seg.classification import FewShotMixSampler


class _Mix:
    """Stands in for a FewShotMixDataset: ``num_few_shot`` samples last."""

    def __init__(self, base, few):
        self.num_base, self.num_few_shot = base, few

    def __len__(self):
        return self.num_base + self.num_few_shot


@pytest.mark.parametrize('base, few, batch, per_batch', [(50, 10, 8, 4),
                                                         (50, 10, 32, 10),
                                                         (50, 10, 20, 10)])
def test_every_batch_mixes_base_and_at_most_half_few_shot(
        base, few, batch, per_batch):
    sampler = FewShotMixSampler(_Mix(base, few), batch_size=batch, seed=3)
    order = list(sampler)
    assert len(order) == len(sampler)
    batches = [order[i:i + batch] for i in range(0, len(order), batch)]
    for chunk in batches:
        shots = [i for i in chunk if i >= base]
        assert len(shots) == per_batch and len(set(shots)) == len(shots)
    # every base sample once per epoch
    assert Counter(i for i in order if i < base) == Counter(range(base))
    # a fixed seed repeats the epoch; the next epoch differs
    assert list(FewShotMixSampler(_Mix(base, few), batch, seed=3)) == order
    sampler.set_epoch(1)
    assert list(sampler) != order


def test_a_dataset_without_few_shot_samples_is_refused():
    with pytest.raises(ValueError, match='needs a FewShotMixDataset'):
        FewShotMixSampler(_Mix(10, 0), batch_size=4)
