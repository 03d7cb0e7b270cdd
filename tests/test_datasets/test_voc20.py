import os

import numpy as np
from PIL import Image

from vlkd_seg.datasets.voc20 import PascalVOC20Dataset


def _voc(root, splits):
    for folder in ('JPEGImages', 'SegmentationClassAug',
                   'ImageSets/Segmentation'):
        os.makedirs(root / folder, exist_ok=True)
    for split, names in splits.items():
        (root / 'ImageSets/Segmentation' /
         f'{split}.txt').write_text('\n'.join(names) + '\n')
        for name in names:
            Image.fromarray(np.zeros(
                (4, 4, 3), np.uint8)).save(root / 'JPEGImages' / f'{name}.jpg')
            Image.fromarray(np.ones(
                (4, 4),
                np.uint8)).save(root / 'SegmentationClassAug' / f'{name}.png')


def test_train_and_aug_list_every_image_once(tmp_path):
    # aug.txt of mmseg's voc_aug.py leaves VOC train out; a copy that
    # repeats one of them must not count it twice
    _voc(tmp_path, dict(train=['a', 'b'], aug=['c', 'b', 'd']))
    dataset = PascalVOC20Dataset(
        data_root=str(tmp_path),
        data_prefix=dict(
            img_path='JPEGImages', seg_map_path='SegmentationClassAug'),
        ann_file='ImageSets/Segmentation/train.txt',
        extra_ann_files=['ImageSets/Segmentation/aug.txt'],
        pipeline=[])
    names = [
        os.path.basename(dataset.get_data_info(i)['img_path'])
        for i in range(len(dataset))
    ]
    assert names == ['a.jpg', 'b.jpg', 'c.jpg', 'd.jpg']
    assert dataset.ann_file.endswith('train.txt')
