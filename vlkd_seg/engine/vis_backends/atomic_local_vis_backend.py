import os.path as osp

import numpy as np
from mmengine.visualization import LocalVisBackend
from mmengine.visualization.vis_backend import force_init_env
from mmseg.registry import VISBACKENDS

from vlkd_seg.utils.io import save_image_atomically


@VISBACKENDS.register_module()
class AtomicLocalVisBackend(LocalVisBackend):
    """mmengine's ``LocalVisBackend`` whose images (``tools/test.py
    --show-dir``, validation drawings) are written whole or not at all, so
    a killed run never leaves a truncated ``NAME_STEP.png``."""

    @force_init_env
    def add_image(self,
                  name: str,
                  image: np.ndarray,
                  step: int = 0,
                  **kwargs) -> None:
        """Save ``image`` as ``{name}_{step}.png`` under the image folder.

        Args:
            name (str): The image identifier.
            image (np.ndarray): ``(H, W, 3)`` RGB ``uint8``.
            step (int): Global step value to record. Defaults to 0.
        """
        if image.dtype != np.uint8:
            raise TypeError(f'add_image takes uint8 images, not {image.dtype}')
        save_image_atomically(
            image, osp.join(self._img_save_dir, f'{name}_{step}.png'))
