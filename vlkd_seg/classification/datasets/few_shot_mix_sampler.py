from typing import Iterator, Optional

import numpy as np
from mmengine.dist import get_world_size
from mmengine.registry import DATA_SAMPLERS
from torch.utils.data import Sampler

from vlkd_seg.utils.errors import ConfigError


@DATA_SAMPLERS.register_module()
class FewShotMixSampler(Sampler):
    """Batches that mix few-shot and base images, as in the authors' 5-shot
    fine-tuning (their ``FewShotSampler``).

    The dataset (:class:`FewShotMixDataset`) holds its ``num_few_shot``
    few-shot samples last. An epoch visits every base sample once, in a
    shuffled order, in chunks that fill each batch next to few-shot
    samples: if all few-shot samples fit in half a batch, every batch holds
    all of them; otherwise every batch holds half a batch of them, drawn
    without replacement. So few-shot samples are at most half of a batch
    whenever there are more than half a batch of them. Registered in
    mmengine's root registry.

    Args:
        dataset (FewShotMixDataset): The training set.
        batch_size (int): Must equal the dataloader's batch size.
        shuffle (bool): Shuffle the base samples and each batch.
        seed (int, optional): Base seed; the epoch is added to it.
    """

    def __init__(self,
                 dataset,
                 batch_size: int,
                 shuffle: bool = True,
                 seed: Optional[int] = None):
        if get_world_size() > 1:
            raise ConfigError('FewShotMixSampler is single-process, like the '
                              'authors\' fine-tuning: train on one device')
        num_few = getattr(dataset, 'num_few_shot', 0)
        if not 0 < num_few < len(dataset) or batch_size < 2:
            raise ConfigError('FewShotMixSampler needs a FewShotMixDataset '
                              'with base and few-shot samples and a batch '
                              'of at least 2')
        self.num_base = len(dataset) - num_few
        self.num_few = num_few
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.seed = 0 if seed is None else seed
        self.epoch = 0

    @property
    def few_per_batch(self) -> int:
        """Few-shot samples in each batch."""
        return min(self.num_few, self.batch_size // 2)

    def __iter__(self) -> Iterator[int]:
        rng = np.random.default_rng(self.seed + self.epoch)
        base = np.arange(self.num_base)
        few = np.arange(self.num_base, self.num_base + self.num_few)
        if self.shuffle:
            rng.shuffle(base)
        step = self.batch_size - self.few_per_batch
        for start in range(0, self.num_base, step):
            if self.few_per_batch == self.num_few:
                shots = few
            else:
                shots = rng.choice(few, self.few_per_batch, replace=False)
            batch = np.concatenate([shots, base[start:start + step]])
            if self.shuffle:
                rng.shuffle(batch)
            yield from batch.tolist()

    def __len__(self) -> int:
        batches = -(-self.num_base // (self.batch_size - self.few_per_batch))
        return self.num_base + batches * self.few_per_batch

    def set_epoch(self, epoch: int) -> None:
        """Called by mmengine's ``DistSamplerSeedHook`` each epoch."""
        self.epoch = epoch
