from .label_map_writer import LabelMapWriter
from .label_space_iou_metric import LabelSpaceIoUMetric
from .zero_shot_iou_metric import ZeroShotIoUMetric

__all__ = ['LabelMapWriter', 'LabelSpaceIoUMetric', 'ZeroShotIoUMetric']
