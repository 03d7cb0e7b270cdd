"""A tiny dataset in the file format of the authors of Li et al. (2023)."""
import os
import os.path as osp

import numpy as np
from PIL import Image

# class folder, natural name, images in train / val_on_train / val
CLASSES = [('001.Black_footed_Albatross', 'Black_footed_Albatross', 4, 2, 0),
           ('002.Laysan_Albatross', 'Laysan_Albatross', 0, 0, 6),
           ('003.Sooty_Albatross', 'Sooty_Albatross', 3, 1, 0),
           ('004.Groove_billed_Ani', 'Groove_billed_Ani', 0, 0, 7),
           ('005.Crested_Auklet', 'Crested_Auklet', 0, 0, 0)]
PIPELINE = [dict(type='LoadImageFromFile'), dict(type='PackInputs')]


def write_authors_folder(folder, images=None):
    """The authors' files for CLASSES (the last line of each file without
    a newline, as theirs); with ``images``, tiny images in the layout of
    their split_dataset.py."""
    os.makedirs(folder, exist_ok=True)
    lists = dict(train=[], val_on_train=[], val=[])
    for i, (key, name, *counts) in enumerate(CLASSES):
        for part, count in zip(lists, counts):
            lists[part] += [
                f'{part}/{key}/{name}_{j:04d}.jpg' for j in range(count)
            ]
    files = {
        'label2text.txt':
        [f'{key} {i + 1} {name}' for i, (key, name, *_) in enumerate(CLASSES)],
        'chatgpt.txt':
        [f'The {name} looks like this.' for _, name, *_ in CLASSES],
        **{
            f'{part}_data.txt': lines
            for part, lines in lists.items()
        }
    }
    for name, lines in files.items():
        with open(osp.join(folder, name), 'w') as f:
            f.write('\n'.join(lines))
    for path in sum(lists.values(), []) if images else []:
        os.makedirs(osp.join(images, osp.dirname(path)), exist_ok=True)
        Image.fromarray(np.zeros((8, 8, 3),
                                 np.uint8)).save(osp.join(images, path))
    return str(folder)
