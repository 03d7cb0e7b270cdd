import os.path as osp

from mmseg.datasets import BaseSegDataset
from mmseg.registry import DATASETS

from vlkd_seg.utils.errors import MissingFileError
from .world_scenes import WORLD_CLASSES, WORLD_PALETTE


@DATASETS.register_module()
class SyntheticWorldDataset(BaseSegDataset):
    """The project's embedded synthetic world (see ``world_generator``).

    Eight object classes plus background on 64x64 scenes, stored as PNG
    images and label maps in the mmseg folder layout. Create it with
    ``python tools/generate_world.py DATA_ROOT``.

    Args:
        data_root (str): Folder written by ``generate_world``.
        **kwargs: Passed to :class:`mmseg.datasets.BaseSegDataset`.
    """
    METAINFO = dict(classes=WORLD_CLASSES, palette=WORLD_PALETTE)

    def __init__(self,
                 data_root: str = '',
                 img_suffix: str = '.png',
                 seg_map_suffix: str = '.png',
                 **kwargs):
        super().__init__(
            data_root=osp.expanduser(data_root),
            img_suffix=img_suffix,
            seg_map_suffix=seg_map_suffix,
            reduce_zero_label=False,
            **kwargs)

    def load_data_list(self):
        img_dir = self.data_prefix.get('img_path', '')
        if not osp.isdir(img_dir):
            raise MissingFileError(
                f'synthetic world images not found at {img_dir}; create '
                f'them with `python tools/generate_world.py '
                f'{self.data_root}` or set data_root to where they are.')
        return super().load_data_list()
