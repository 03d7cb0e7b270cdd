"""Typed, ranged checks of the config values users override most.

Each rule names config keys by a dotted pattern (``*`` stands for one key
or list index) and the values they take. Run before anything is built,
they turn ``train_cfg.max_iters=abc``, ``optimizer.lr=-0.01`` or
``train_cfg.val_interval=0`` into one line naming the key and the range.
"""
import fnmatch
from typing import Iterator, NamedTuple, Tuple

from mmengine.config import Config

from .errors import ConfigError


class Rule(NamedTuple):
    """Values a key takes: ``kind`` ``'int'``, ``'number'`` or ``'size'``
    (a positive int or a pair of them), in ``[low, high]``; ``low_open``
    excludes ``low``; ``none`` allows None."""
    pattern: str
    kind: str
    low: float = float('-inf')
    high: float = float('inf')
    low_open: bool = False
    none: bool = False


_INF = float('inf')
RULES = (
    Rule('train_cfg.max_iters', 'int', 1),
    Rule('train_cfg.max_epochs', 'int', 1),
    Rule('train_cfg.val_interval', 'int', 1),
    Rule('train_cfg.val_begin', 'int', 0),
    Rule('*_dataloader.batch_size', 'int', 1),
    Rule('*_dataloader.num_workers', 'int', 0),
    Rule('optim_wrapper.optimizer.lr', 'number', 0, low_open=True),
    Rule('optim_wrapper.optimizer.weight_decay', 'number', 0),
    Rule('optim_wrapper.optimizer.momentum', 'number', 0, 1),
    Rule('optim_wrapper.clip_grad.max_norm', 'number', 0, low_open=True),
    Rule('optim_wrapper.accumulative_counts', 'int', 1),
    Rule('randomness.seed', 'int', 0, 2**32 - 1, none=True),
    Rule('default_hooks.logger.interval', 'int', 1),
    Rule('default_hooks.checkpoint.interval', 'int', -1),
    Rule('param_scheduler.*.begin', 'int', 0),
    Rule('param_scheduler.*.end', 'int', 1),
    Rule('param_scheduler.*.eta_min', 'number', 0),
    Rule('model.data_preprocessor.size', 'size', none=True),
    Rule('*_dataloader.dataset.pipeline.*.crop_size', 'size'),
    Rule('model.confidence_thresh', 'number', 0, 1),
    Rule('model.test_cfg.unknown_thresh', 'number', 0, 1, none=True),
    Rule('model.student.test_cfg.unknown_thresh', 'number', 0, 1, none=True),
)


def leaves(node, key: str = '') -> Iterator[Tuple[str, object]]:
    """``(dotted key, value)`` of every leaf of a config (list items by
    index; a list of numbers is a leaf)."""
    if isinstance(node, dict):
        for name, value in node.items():
            yield from leaves(value, f'{key}.{name}' if key else str(name))
    elif isinstance(node, (list, tuple)) and any(
            isinstance(v, (dict, list, tuple)) for v in node):
        for i, value in enumerate(node):
            yield from leaves(value, f'{key}.{i}')
    else:
        yield key, node


def _matches(pattern: str, key: str) -> bool:
    parts, names = pattern.split('.'), key.split('.')
    return len(parts) == len(names) and all(
        fnmatch.fnmatchcase(n, p) for p, n in zip(parts, names))


def _fits(rule: Rule, value) -> bool:
    if value is None:
        return rule.none
    if rule.kind == 'size':
        sizes = value if isinstance(value, (list, tuple)) else [value]
        return 1 <= len(sizes) <= 2 and all(
            _fits(Rule('', 'int', 1), s) for s in sizes)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    if rule.kind == 'int' and not isinstance(value, int):
        return False
    above = value > rule.low if rule.low_open else value >= rule.low
    return above and value <= rule.high


def _wanted(rule: Rule) -> str:
    if rule.kind == 'size':
        text = 'a positive int or a pair of them (height, width)'
    else:
        text = 'an int' if rule.kind == 'int' else 'a number'
        if rule.low > -_INF:
            text += f' {">" if rule.low_open else ">="} {rule.low:.10g}'
        if rule.high < _INF:
            text += f' and <= {rule.high:.10g}'
    return text + (' or None' if rule.none else '')


def check_config_values(cfg: Config) -> None:
    """Raise :class:`ConfigError` for the first value outside its rule, and
    for a scheduler that ends before it begins.

    Args:
        cfg (Config): A full config, ``--cfg-options`` applied.
    """
    for key, value in leaves(cfg._cfg_dict.to_dict()):
        for rule in RULES:
            if _matches(rule.pattern, key) and not _fits(rule, value):
                raise ConfigError(
                    f'{key} must be {_wanted(rule)}, got {value!r}; set it '
                    f'with --cfg-options {key}=VALUE')
    if (cfg.get('default_hooks') or {}).get('checkpoint',
                                            {}).get('interval') == 0:
        raise ConfigError('default_hooks.checkpoint.interval must not be 0 '
                          '(-1 saves only at the end)')
    schedulers = cfg.get('param_scheduler') or []
    for i, s in enumerate(
            schedulers if isinstance(schedulers, list) else [schedulers]):
        begin, end = s.get('begin', 0), s.get('end', _INF)
        if isinstance(begin, int) and isinstance(end, (int, float)) \
                and end <= begin:
            raise ConfigError(
                f'param_scheduler.{i} ends (end={end}) before it begins '
                f'(begin={begin}): set end above begin')
