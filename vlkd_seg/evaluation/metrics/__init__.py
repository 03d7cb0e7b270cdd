from .label_map_writer import LabelMapWriter
from .zero_shot_iou_metric import ZeroShotIoUMetric

__all__ = ['LabelMapWriter', 'ZeroShotIoUMetric']
