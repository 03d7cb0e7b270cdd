from .class_split_dataset import ClassSplitDataset

__all__ = ['ClassSplitDataset']
