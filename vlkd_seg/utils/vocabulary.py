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
    """Resolve a vocabulary to a validated list of class names: the one
    reading of a vocabulary, the command line's and the Python API's.

    Args:
        spec (str | Sequence[str]): A list of names; or a string: a text
            file with one name per line, the name of a packaged file (see
            :func:`available_vocabularies`), or comma-separated names
            (``'cat,sofa,background'``).
        expected (int, optional): Required number of classes, e.g. the
            dataset's.

    Returns:
        list[str]: The class names.
    """
    if isinstance(spec, str):
        names = _names_of_string(spec, expected)
    else:
        names = list(spec)
    if expected is not None and len(names) != expected:
        raise ConfigError(f'{len(names)} class names given but '
                          f'{expected} are needed')
    return check_class_names(names)


def _names_of_string(spec: str, expected: Optional[int]) -> List[str]:
    packaged = osp.join(CLASS_NAME_DIR, spec.strip() + '.txt')
    for path in (spec, packaged):
        if osp.isfile(path):
            return read_lines(path, expected)
    if ',' not in spec:
        raise MissingFileError(
            f'class names {spec!r}: no such file and no packaged '
            f'vocabulary of that name ({available_vocabularies()}); to '
            'name classes, separate them with commas (one class alone '
            'cannot be segmented: add a catch-all such as "background")')
    return [name.strip() for name in spec.split(',')]


def check_class_names(names: Sequence[str]) -> List[str]:
    """Validate a vocabulary: non-empty, no blank or repeated names
    (positions counted from 1). A name may hold commas: in a file, a line
    is one class (CLIP-ES's names list synonyms, ``'person with
    clothes,people,human'``)."""
    names = [str(n).strip() for n in names]
    if not names or not any(names):
        raise ConfigError('the vocabulary is empty: give at least one class')
    blank = [i + 1 for i, n in enumerate(names) if not n]
    if blank:
        raise ConfigError(
            f'class names {blank} (counted from 1) of {len(names)} are '
            'blank: a trailing or doubled comma, or an empty line?')
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
    """Read one entry per non-empty line (class names, descriptions) of a
    UTF-8 file (a byte-order mark is dropped).

    Args:
        path (str): Text file.
        expected (int, optional): Required number of lines.
    """
    try:
        with open(path, encoding='utf-8-sig') as f:
            lines = [line.strip() for line in f if line.strip()]
    except UnicodeDecodeError as err:
        raise ConfigError(
            f'{path} is not UTF-8 text (byte {err.start}: {err.reason}); '
            'save it as UTF-8, one entry per line') from None
    if expected is not None and len(lines) != expected:
        raise ConfigError(f'{path} has {len(lines)} lines but {expected} are '
                          'needed (one per class)')
    return lines
