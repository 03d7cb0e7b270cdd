"""The published splits of Li et al. (2023), read from the authors' files.

The release of "Distilling Large Vision-Language Model with Out-of-
Distribution Generalizability" (github.com/xuanlinli17/
large_vlm_distillation_ood, ``data/{dataset}/``) holds, per dataset:

- ``label2text.txt``: one class per line, ``{folder} {id} {name}``, the
  name with ``_`` for blanks;
- ``chatgpt.txt``: one appearance sentence per class, same order;
- ``train_data.txt`` (X_train), ``val_on_train_data.txt`` (X_id, held-out
  images of the ID classes) and ``val_data.txt`` (X_ood, every image of the
  OOD classes): one image per line, ``{part}/{folder}/{file}``, relative to
  the image layout their ``scripts/split_dataset.py`` writes.

A folder with these files is a class split like the packaged ``.tsv``
files (:func:`load_class_split` takes its path): ID classes are those of
``train_data.txt``, OOD classes those of ``val_data.txt``, in the order of
``label2text.txt`` (classes in neither list, e.g. the ImageNet classes that
tiered-ImageNet leaves out, are dropped). Class texts follow the authors:
``"a photo of " + name + " . " + sentence``.
"""
import os.path as osp
from typing import List, Tuple

from vlkd_seg.utils.errors import ConfigError, MissingFileError

#: image list of each part; ``test`` is X_id and X_ood together
AUTHORS_PARTS = dict(
    train=('train_data.txt', ),
    val_on_train=('val_on_train_data.txt', ),
    val=('val_data.txt', ),
    test=('val_on_train_data.txt', 'val_data.txt'))
#: the authors' prompt: "a photo of " + name (their texts have no article)
AUTHORS_TEMPLATE = 'a photo of {} .'
_HINT = ('copy data/{dataset}/ of the authors\' release '
         '(github.com/xuanlinli17/large_vlm_distillation_ood) there; see '
         'the README, "Splits of Li et al."')


def is_authors_split(path: str) -> bool:
    """Whether ``path`` is a folder in the authors' format."""
    return osp.isfile(osp.join(path, 'label2text.txt'))


def _lines(path: str) -> List[str]:
    if not osp.isfile(path):
        raise MissingFileError(f'{path} not found: {_HINT}')
    with open(path, encoding='utf-8') as f:
        return [line.strip() for line in f if line.strip()]


def read_image_list(folder: str, part: str) -> List[Tuple[str, str]]:
    """``(relative image path, class folder)`` of every image of a part.

    Args:
        folder (str): The authors' ``data/{dataset}`` folder.
        part (str): ``'train'`` (X_train), ``'val_on_train'`` (X_id),
            ``'val'`` (X_ood) or ``'test'`` (X_id then X_ood).
    """
    if part not in AUTHORS_PARTS:
        raise ConfigError(f'part must be one of {list(AUTHORS_PARTS)}, got '
                          f'{part!r}')
    items = []
    for name in AUTHORS_PARTS[part]:
        for line in _lines(osp.join(folder, name)):
            parts = line.replace('\\', '/').split('/')
            if len(parts) < 3:
                raise ConfigError(f'{folder}/{name}: expected '
                                  f'"part/class/file", got {line!r}')
            items.append((line, parts[-2]))
    return items


def read_authors_split(folder: str) -> dict:
    """The fields of the :class:`ClassSplit` of one of the authors' dataset
    folders.

    Returns:
        dict: ``names`` (``_`` turned into blanks), ``descriptions`` (the
        ``chatgpt.txt`` sentences), ``id_classes`` / ``ood_classes`` and
        ``keys`` (the class folders the image lists use).
    """
    rows = [
        line.split(' ') for line in _lines(osp.join(folder, 'label2text.txt'))
    ]
    bad = [' '.join(r) for r in rows if len(r) != 3]
    if bad:
        raise ConfigError(f'{folder}/label2text.txt: expected "folder id '
                          f'name" per line, got {bad[:3]}')
    sentences = _lines(osp.join(folder, 'chatgpt.txt'))
    if len(sentences) != len(rows):
        raise ConfigError(f'{folder}: {len(sentences)} sentences in '
                          f'chatgpt.txt for {len(rows)} classes in '
                          'label2text.txt')
    id_keys = {k for _, k in read_image_list(folder, 'train')}
    ood_keys = {k for _, k in read_image_list(folder, 'val')}
    held_out = {k for _, k in read_image_list(folder, 'val_on_train')}
    _check_parts(folder, {r[0] for r in rows}, id_keys, ood_keys, held_out)
    used = [i for i, r in enumerate(rows) if r[0] in id_keys | ood_keys]
    keys = [rows[i][0] for i in used]
    return dict(
        names=[rows[i][2].replace('_', ' ') for i in used],
        descriptions=[sentences[i] for i in used],
        id_classes=[j for j, k in enumerate(keys) if k in id_keys],
        ood_classes=[j for j, k in enumerate(keys) if k in ood_keys],
        keys=keys)


def _check_parts(folder: str, known: set, id_keys: set, ood_keys: set,
                 held_out: set) -> None:
    unknown = (id_keys | ood_keys | held_out) - known
    if unknown:
        raise ConfigError(f'{folder}: image lists name classes missing from '
                          f'label2text.txt: {sorted(unknown)[:5]}')
    if id_keys & ood_keys:
        raise ConfigError(f'{folder}: classes in both train_data.txt and '
                          f'val_data.txt: {sorted(id_keys & ood_keys)[:5]}')
    if not held_out <= id_keys:
        raise ConfigError(f'{folder}: val_on_train_data.txt has classes '
                          f'that are not trained on: '
                          f'{sorted(held_out - id_keys)[:5]}')
