"""Walk the typed parts of an mmengine config."""
from typing import Iterator, Tuple

from mmengine.config import Config, ConfigDict


def typed_nodes(node, key: str) -> Iterator[Tuple[str, dict]]:
    """``(config key, dict)`` of every dict with a ``type`` under ``node``;
    ``init_cfg`` subtrees are left out (initialisers, not components)."""
    if isinstance(node, dict):
        if 'type' in node:
            yield key, node
        for name, value in node.items():
            if name != 'init_cfg':
                yield from typed_nodes(value, f'{key}.{name}')
    elif isinstance(node, (list, tuple)):
        for i, value in enumerate(node):
            yield from typed_nodes(value, f'{key}.{i}')


def find_type(node, type_name: str) -> Iterator[dict]:
    """Every config dict under ``node`` whose ``type`` is ``type_name``."""
    if isinstance(node, dict):
        if node.get('type') == type_name:
            yield node
        for value in node.values():
            yield from find_type(value, type_name)
    elif isinstance(node, (list, tuple)):
        for value in node:
            yield from find_type(value, type_name)


def iter_datasets(cfg: Config) -> Iterator[Tuple[str, ConfigDict, str]]:
    """Yield ``(dataloader name, dataset config, its config key)``,
    unwrapping wrappers (``ConcatDataset``, ``ClassSplitDataset``, ...)."""
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        dataset = (cfg.get(loader) or {}).get('dataset')
        stack = [(dataset, f'{loader}.dataset')] if dataset else []
        while stack:
            item, key = stack.pop()
            if 'datasets' in item:
                stack.extend((d, f'{key}.datasets.{i}')
                             for i, d in enumerate(item['datasets']))
            elif 'dataset' in item:
                stack.append((item['dataset'], f'{key}.dataset'))
            else:
                yield loader, item, key
