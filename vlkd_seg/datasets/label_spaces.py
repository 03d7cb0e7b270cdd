"""One label space from several datasets' (SSIW, Yin et al. 2022): the
union of their classes, the names given as synonyms merged into one."""
from typing import Dict, List, NamedTuple, Optional, Sequence

from vlkd_seg.utils.errors import ConfigError


class LabelSpaces(NamedTuple):
    """Several datasets' classes in one label space.

    Attributes:
        classes (list[str]): The unified classes, in label order.
        maps (dict[str, list[int]]): Per dataset, the unified index of each
            of its classes (in its own label order).
        table (list[dict]): Per unified class, ``name`` and ``sources``
            (dataset name -> its own name of the class): the merge table.
    """
    classes: List[str]
    maps: Dict[str, List[int]]
    table: List[dict]

    def table_lines(self) -> List[str]:
        """The merge table as text, a line per unified class."""
        width = max(len(row['name']) for row in self.table)
        return [
            f'{i:>4}  {row["name"]:<{width}}  ' +
            (', '.join(f'{d}: {n}' for d, n in row['sources'].items()) or '-')
            for i, row in enumerate(self.table)
        ]


def unify_label_spaces(spaces: Dict[str, Sequence[str]],
                       synonyms: Sequence[Sequence[str]] = (),
                       classes: Optional[Sequence[str]] = None) -> LabelSpaces:
    """Merge datasets' classes into one label space.

    A class is known by its name; the names of one ``synonyms`` group
    (e.g. ``['ring', 'hoop']``) are one class, named by the group's first.
    Nothing else merges: two datasets' classes are one exactly when their
    names are equal or synonyms.

    Args:
        spaces (dict[str, Sequence[str]]): Per dataset name, its classes.
        synonyms (Sequence[Sequence[str]]): Groups of names of one class.
        classes (Sequence[str], optional): The unified classes in the order
            the model names them; they must hold every dataset's (after
            merging) and may hold more (classes no dataset annotates).
            Default: in order of first appearance.

    Returns:
        LabelSpaces: The unified classes, each dataset's map, the table.
    """
    canonical = _canonical_names(synonyms, spaces, classes or ())
    order: List[str] = []
    sources: Dict[str, Dict[str, str]] = {}
    for dataset, names in spaces.items():
        for name in names:
            unified = canonical.get(name, name)
            earlier = sources.get(unified, {}).get(dataset)
            if earlier is not None:
                raise ConfigError(
                    f'dataset {dataset!r} has both {earlier!r} and '
                    f'{name!r}, which the synonyms make one class '
                    f'{unified!r}: a dataset\'s classes stay apart')
            if unified not in sources:
                order.append(unified)
            sources.setdefault(unified, {})[dataset] = name
    if classes is not None:
        order = _check_given_classes(list(classes), order, canonical)
    index = {name: i for i, name in enumerate(order)}
    maps = {
        dataset: [index[canonical.get(n, n)] for n in names]
        for dataset, names in spaces.items()
    }
    table = [dict(name=n, sources=sources.get(n, {})) for n in order]
    return LabelSpaces(order, maps, table)


def _canonical_names(synonyms: Sequence[Sequence[str]],
                     spaces: Dict[str, Sequence[str]],
                     given: Sequence[str]) -> Dict[str, str]:
    """Each synonym's group name; every synonym checked to be a class of
    some dataset (or of the ``given`` unified classes) and in one group
    only."""
    if isinstance(synonyms, str):
        raise ConfigError('synonyms are groups of names, e.g. '
                          f"[['ring', 'hoop']], got the string {synonyms!r}")
    known = {n for names in spaces.values() for n in names} | set(given)
    canonical: Dict[str, str] = {}
    for group in synonyms:
        if isinstance(group, str) or len(group) < 2:
            raise ConfigError(
                f'synonym group {group!r} must list two or more names of one '
                "class, e.g. ['ring', 'hoop']")
        for name in group:
            if name in canonical:
                raise ConfigError(f'{name!r} is in two synonym groups: a name '
                                  'means one class')
            if name not in known:
                raise ConfigError(
                    f'synonym {name!r} is a class of no dataset ('
                    f'{", ".join(sorted(spaces))}): check its spelling')
            canonical[name] = group[0]
    return canonical


def _check_given_classes(given: List[str], merged: List[str],
                         canonical: Dict[str, str]) -> List[str]:
    """``given``, checked to hold each of ``merged`` once."""
    if len(set(given)) != len(given):
        raise ConfigError(f'the unified classes {given} repeat a name')
    renamed = [n for n in given if canonical.get(n, n) != n]
    if renamed:
        raise ConfigError(
            f'unified classes {renamed} are synonyms named otherwise: use '
            f'{[canonical[n] for n in renamed]} (a group\'s first name)')
    missing = [n for n in merged if n not in given]
    if missing:
        raise ConfigError(f'the unified classes lack {missing}, classes of '
                          'the datasets: add them (or merge them as '
                          'synonyms of a class they list)')
    return given
