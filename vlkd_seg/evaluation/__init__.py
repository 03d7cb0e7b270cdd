from .metrics import LabelMapWriter, ZeroShotIoUMetric

__all__ = ['LabelMapWriter', 'ZeroShotIoUMetric']
