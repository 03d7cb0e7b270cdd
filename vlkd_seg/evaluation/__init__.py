from .metrics import LabelMapWriter, LabelSpaceIoUMetric, ZeroShotIoUMetric

__all__ = ['LabelMapWriter', 'LabelSpaceIoUMetric', 'ZeroShotIoUMetric']
