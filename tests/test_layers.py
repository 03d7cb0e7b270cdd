"""The package's layers import downwards only (README, "Layout")."""
import ast
import os
import os.path as osp
from typing import Iterator, List, Tuple

import vlkd_seg
from .conftest import REPO

#: Bottom to top; a subpackage imports its own layer's package or lower
#: layers, never a sibling of its layer or anything above.
LAYERS = (
    ('utils', 'compat'),
    ('datasets', 'engine'),
    ('evaluation', 'models'),
    ('classification', ),
    ('apis', 'demo'),
)


def _rank(part: str) -> int:
    for rank, layer in enumerate(LAYERS):
        if part in layer:
            return rank
    raise AssertionError(f'vlkd_seg.{part} is in no layer: add it to LAYERS '
                         "and to the README's layout")


def _imports(path: str, module: List[str]) -> Iterator[Tuple[int, str]]:
    """``(line, absolute module)`` of every import of ``path`` (module
    ``module``, as parts), function-level ones included."""
    package = module if osp.basename(path) == '__init__.py' else module[:-1]
    for node in ast.walk(ast.parse(open(path, encoding='utf-8').read())):
        if isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level \
                else []
            yield node.lineno, '.'.join(base + [node.module or ''])
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name


def upward_imports(root: str, name: str = 'vlkd_seg') -> List[str]:
    """Imports of package ``name`` (folder ``root``) that break the layers,
    as ``'file:line: a -> b'``."""
    found = []
    for folder, _, files in os.walk(root):
        for file in sorted(f for f in files if f.endswith('.py')):
            path = osp.join(folder, file)
            rel = osp.relpath(path, osp.dirname(root))[:-3].split(os.sep)
            if len(rel) < 3 and rel[-1] == '__init__':
                continue  # the top-level package registers everything
            for line, target in _imports(path, rel):
                parts = target.split('.')
                if parts[0] != name or len(parts) < 2 or parts[1] == rel[1]:
                    continue
                if _rank(parts[1]) >= _rank(rel[1]):
                    found.append(f'{osp.relpath(path, osp.dirname(root))}:'
                                 f'{line}: {rel[1]} -> {parts[1]}')
    return found


def test_the_package_imports_downwards_only():
    assert upward_imports(osp.dirname(vlkd_seg.__file__)) == []


def test_an_upward_or_sideways_import_is_found(tmp_path):
    root = tmp_path / 'vlkd_seg'
    for sub in ('utils', 'models', 'datasets', 'engine'):
        (root / sub).mkdir(parents=True)
        (root / sub / '__init__.py').write_text('')
    (root / 'utils' / 'checks.py').write_text(
        'def hint():\n    from ..models.teachers import WEIGHTS_HINT\n')
    (root / 'datasets' / 'a.py').write_text(
        'from vlkd_seg.engine import hooks\nfrom ..utils import errors\n')
    (root / 'models' / 'b.py').write_text('from ..datasets import a\n')
    assert upward_imports(str(root)) == [
        'vlkd_seg/datasets/a.py:1: datasets -> engine',
        'vlkd_seg/utils/checks.py:2: utils -> models'
    ]


def test_no_python_file_is_over_250_lines():
    long = []
    for top in ('vlkd_seg', 'tools', 'tests', 'configs'):
        for folder, _, files in os.walk(osp.join(REPO, top)):
            for file in (f for f in files if f.endswith('.py')):
                path = osp.join(folder, file)
                with open(path, encoding='utf-8') as f:
                    lines = sum(1 for _ in f)
                if lines > 250:
                    long.append(f'{osp.relpath(path, REPO)}: {lines}')
    assert long == []
