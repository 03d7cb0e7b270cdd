from .class_split_dataset import ClassSplitDataset
from .few_shot_mix_dataset import FewShotMixDataset
from .few_shot_mix_sampler import FewShotMixSampler

__all__ = ['ClassSplitDataset', 'FewShotMixDataset', 'FewShotMixSampler']
