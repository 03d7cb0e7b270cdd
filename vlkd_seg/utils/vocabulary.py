"""Class vocabularies: packaged class-name files or the user's own."""
import os.path as osp
from glob import glob
from typing import List, Optional, Sequence, Union

from vlkd_seg.utils.errors import ConfigError, MissingFileError

CLASS_NAME_DIR = osp.join(osp.dirname(__file__), 'class_names')


def available_vocabularies() -> List[str]:
    """Names of the packaged class-name files (``'voc20'``, ...)."""
    return sorted(
        osp.splitext(osp.basename(p))[0]
        for p in glob(osp.join(CLASS_NAME_DIR, '*.txt')))


def load_class_names(spec: Union[str, Sequence[str]],
                     expected: Optional[int] = None) -> List[str]:
    """Resolve a vocabulary to a validated list of class names.

    Args:
        spec (str | Sequence[str]): A list of names, a text file with one
            name per line, or the name of a packaged file (see
            :func:`available_vocabularies`).
        expected (int, optional): Required number of classes, e.g. the
            dataset's.

    Returns:
        list[str]: The class names.
    """
    if isinstance(spec, str):
        path = spec if osp.isfile(spec) else osp.join(CLASS_NAME_DIR, spec +
                                                      '.txt')
        if not osp.isfile(path):
            raise MissingFileError(
                f'class names {spec!r}: no such file and no packaged '
                f'vocabulary of that name ({available_vocabularies()})')
        names = read_lines(path, expected)
    else:
        names = list(spec)
        if expected is not None and len(names) != expected:
            raise ConfigError(f'{len(names)} class names given but '
                              f'{expected} are needed')
    return check_class_names(names)


def check_class_names(names: Sequence[str]) -> List[str]:
    """Validate a vocabulary: non-empty, no blank or repeated names."""
    names = [str(n).strip() for n in names]
    if not names:
        raise ConfigError('the vocabulary is empty: give at least one class')
    blank = [i for i, n in enumerate(names) if not n]
    if blank:
        raise ConfigError(f'class names at positions {blank} are blank')
    seen, repeated = set(), []
    for name in names:
        if name.lower() in seen:
            repeated.append(name)
        seen.add(name.lower())
    if repeated:
        raise ConfigError(f'duplicate class names {repeated}: every class '
                          'needs its own name')
    return names


def read_lines(path: str, expected: Optional[int] = None) -> List[str]:
    """Read one entry per non-empty line (class names, descriptions).

    Args:
        path (str): Text file.
        expected (int, optional): Required number of lines.
    """
    with open(path, encoding='utf-8') as f:
        lines = [line.strip() for line in f if line.strip()]
    if expected is not None and len(lines) != expected:
        raise ConfigError(f'{path} has {len(lines)} lines but {expected} are '
                          'needed (one per class)')
    return lines
