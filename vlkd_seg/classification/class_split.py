"""ID / OOD class splits with one-sentence descriptions, read from files.

A split file is UTF-8 text, one line per class in the dataset's label order,
three tab-separated fields and an optional fourth, the dataset's own key of
the class (the WordNet id of an ImageNet class)::

    # name <TAB> id|ood <TAB> one-sentence description [<TAB> key]
    Black-footed Albatross	id	A large dark seabird with ...

``#`` lines are comments. The packaged files (``class_splits/*.tsv``) cover
the paper's datasets and the synthetic world; any other path works too. A
folder holding the authors' published files (``label2text.txt``,
``chatgpt.txt``, image lists; see :mod:`.authors_split`) is a split too, the
paper's own; the packaged files are the fallback when those are absent.
"""
import os.path as osp
from glob import glob
from typing import List, NamedTuple, Sequence, Union

from vlkd_seg.utils.errors import ConfigError, MissingFileError
from vlkd_seg.utils.vocabulary import check_class_names
from .authors_split import is_authors_split, read_authors_split

CLASS_SPLIT_DIR = osp.join(osp.dirname(__file__), 'class_splits')


class ClassSplit(NamedTuple):
    """Names, descriptions and the ID / OOD partition of one dataset."""
    names: List[str]
    descriptions: List[str]
    id_classes: List[int]
    ood_classes: List[int]
    keys: List[str]


def available_class_splits() -> List[str]:
    """Names of the packaged split files (``'cub'``, ``'sun397'``, ...)."""
    return sorted(
        osp.splitext(osp.basename(p))[0]
        for p in glob(osp.join(CLASS_SPLIT_DIR, '*.tsv')))


def resolve_class_split(spec: str) -> str:
    """Path of a split file given its path or packaged name."""
    path = spec if osp.isfile(spec) else osp.join(CLASS_SPLIT_DIR,
                                                  f'{spec}.tsv')
    if not osp.isfile(path):
        raise MissingFileError(
            f'class split {spec!r}: no such file and no packaged split of '
            f'that name ({available_class_splits()})')
    return path


def load_class_split(spec: Union[str, ClassSplit]) -> ClassSplit:
    """Read and validate a class split.

    Args:
        spec (str | ClassSplit): A split file, a packaged split name, a
            folder of the authors' files, or an already loaded split
            (returned as it is).

    Raises:
        ValueError: On a malformed line, a blank description, a field other
            than ``id``/``ood``, or a split with no ID class.
    """
    if isinstance(spec, ClassSplit):
        return spec
    if osp.isdir(osp.expanduser(spec)):
        folder = osp.expanduser(spec)
        if not is_authors_split(folder):
            raise MissingFileError(
                f'class split {spec!r} is a folder without the authors\' '
                'label2text.txt: give the folder of their data/{dataset}/ '
                'files or a .tsv split file')
        return _validated(ClassSplit(**read_authors_split(folder)), folder)
    path = resolve_class_split(spec)
    names, descriptions, parts, keys = [], [], [], []
    with open(path, encoding='utf-8') as f:
        for line_no, line in enumerate(f, 1):
            if not line.strip() or line.startswith('#'):
                continue
            fields = [x.strip() for x in line.rstrip('\n').split('\t')]
            if len(fields) not in (3, 4) or fields[1] not in ('id', 'ood') \
                    or not fields[2]:
                raise ConfigError(
                    f'{path}:{line_no}: expected "name<TAB>id|ood<TAB>'
                    f'description[<TAB>key]", got {line.strip()!r}')
            names.append(fields[0])
            parts.append(fields[1])
            descriptions.append(fields[2])
            keys.append(fields[3] if len(fields) == 4 else '')
    return _validated(
        ClassSplit(names, descriptions,
                   [i for i, p in enumerate(parts) if p == 'id'],
                   [i for i, p in enumerate(parts) if p == 'ood'], keys), path)


def _validated(split: ClassSplit, path: str) -> ClassSplit:
    try:
        check_class_names(split.names)
    except ConfigError as err:
        raise ConfigError(f'{path}: {err}') from None
    if not split.id_classes:
        raise ConfigError(f'{path}: no class is marked "id"')
    return split


def subset_classes(split: ClassSplit, subset: str) -> List[int]:
    """Class indices of ``'id'``, ``'ood'`` or ``'all'`` classes."""
    choices = dict(
        id=split.id_classes,
        ood=split.ood_classes,
        all=list(range(len(split.names))))
    if subset not in choices:
        raise ConfigError(f'subset must be one of {list(choices)}, got '
                          f'{subset!r}')
    return choices[subset]


def check_dataset_classes(split: ClassSplit,
                          dataset_classes: Sequence[str]) -> None:
    """Raise ``ValueError`` unless the dataset has as many classes as the
    split (names may differ in spelling: ``Black_footed_Albatross``)."""
    if dataset_classes and len(dataset_classes) != len(split.names):
        raise ConfigError(f'the class split lists {len(split.names)} classes '
                          f'but the dataset has {len(dataset_classes)}')
