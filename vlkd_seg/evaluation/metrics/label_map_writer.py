import os.path as osp
from typing import Dict, List, Sequence

import numpy as np
from mmengine.evaluator import BaseMetric
from mmseg.registry import METRICS

from vlkd_seg.utils.io import save_image_atomically


@METRICS.register_module()
class LabelMapWriter(BaseMetric):
    """Writes each predicted label map as ``output_dir/NAME.png``, as mmseg's
    ``IoUMetric(output_dir=...)`` does, but whole or not at all; computes
    no metric. ``tools/test.py --out`` adds it beside the recipe's
    evaluator, whatever that is.

    Args:
        output_dir (str): Folder of the label maps (made if missing).
        collect_device (str): As :class:`mmengine.evaluator.BaseMetric`.
        prefix (str, optional): As :class:`mmengine.evaluator.BaseMetric`.
    """

    def __init__(self,
                 output_dir: str,
                 collect_device: str = 'cpu',
                 prefix: str = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.output_dir = output_dir

    def process(self, data_batch: dict, data_samples: Sequence[dict]) -> None:
        """Write ``NAME.png`` per sample: ``uint8`` class ids (``uint16``
        past 255), + 1 where the dataset reduced the zero label."""
        for sample in data_samples:
            labels = sample['pred_sem_seg']['data'].squeeze().cpu().numpy()
            if sample.get('reduce_zero_label', False):
                labels = labels + 1
            dtype = np.uint8 if labels.max(initial=0) < 256 else np.uint16
            stem = osp.splitext(osp.basename(sample['img_path']))[0]
            save_image_atomically(
                labels.astype(dtype), osp.join(self.output_dir, stem + '.png'))
            self.results.append(1)

    def compute_metrics(self, results: List) -> Dict[str, float]:
        """No metric: the label maps are the output."""
        return {}
