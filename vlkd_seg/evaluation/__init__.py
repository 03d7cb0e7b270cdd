from .metrics import ZeroShotIoUMetric

__all__ = ['ZeroShotIoUMetric']
