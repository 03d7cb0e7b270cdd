"""Which components the registries know, and what they accept."""
import difflib
import importlib
import inspect

from mmengine.config import Config

from .config_nodes import typed_nodes
from .errors import ConfigError


def accepted_args(type_name, scope: str = 'mmseg') -> set:
    """Keyword arguments the registered class ``type_name`` accepts.

    Follows ``**kwargs`` up the class hierarchy to the first ``__init__``
    without them, so ``ResNetV1c`` accepts ``ResNet``'s arguments.
    """
    cls = registered_class(type_name, scope)
    names: set = set()
    for klass in getattr(cls, '__mro__', ()):
        if '__init__' not in vars(klass):
            continue
        params = inspect.signature(vars(klass)['__init__']).parameters
        names.update(n for n, p in params.items()
                     if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY))
        if not any(p.kind == p.VAR_KEYWORD for p in params.values()):
            break
    names.discard('self')
    return names


_REGISTRIES = ('MODELS', 'DATASETS', 'TRANSFORMS', 'METRICS', 'HOOKS',
               'OPTIMIZERS', 'OPTIM_WRAPPERS', 'PARAM_SCHEDULERS', 'LOOPS',
               'DATA_SAMPLERS', 'VISUALIZERS', 'VISBACKENDS',
               'WEIGHT_INITIALIZERS', 'TASK_UTILS', 'FUNCTIONS',
               'LOG_PROCESSORS')


def _scope_registries(type_name: str, scope: str):
    """``(bare type name, registries to look in)``: those of the type's own
    scope prefix, or of ``scope``, then of the scopes vlkd_seg registers
    into (a component built with an explicit scope, like the CLIP teacher
    of an mmpretrain recipe)."""
    if '.' in type_name:
        scope, type_name = type_name.split('.', 1)
    registries = []
    for name in dict.fromkeys((scope, 'mmseg', 'mmpretrain', 'mmengine')):
        try:
            module = importlib.import_module(f'{name}.registry')
        except ImportError:
            continue
        registries += [
            getattr(module, r) for r in _REGISTRIES if hasattr(module, r)
        ]
    return type_name, registries


def registered_class(type_name, scope: str = 'mmseg'):
    """The class (or function) ``type_name`` names in the registries of
    ``scope`` and of vlkd_seg's scopes; None if none has it."""
    if not isinstance(type_name, str):
        return type_name if callable(type_name) else None
    type_name, registries = _scope_registries(type_name, scope)
    for registry in registries:
        cls = registry.get(type_name)
        if cls is not None:
            return cls
    return None


def _registered_names(scope: str) -> set:
    """Every name registered in the registries :func:`registered_class`
    searches (with their parents)."""
    names: set = set()
    for registry in _scope_registries('', scope)[1]:
        while registry is not None:
            names.update(registry.module_dict)
            registry = registry.parent
    return names


def check_registered_types(cfg: Config) -> None:
    """Raise :class:`ConfigError` for a ``type`` no registry knows.

    Covers every ``type`` of the config (model, datasets and pipelines,
    evaluators, hooks, optimiser and its wrapper, schedulers, loops,
    visualizer): a misspelt type is found before anything is built, with
    the closest registered name.
    """
    scope = cfg.get('default_scope', 'mmseg')
    known = None
    for key in cfg.keys():
        for where, node in typed_nodes(cfg.get(key), key):
            type_name = node['type']
            if registered_class(type_name, scope) is not None:
                continue
            if known is None:
                known = _registered_names(scope)
            hint = difflib.get_close_matches(
                str(type_name).split('.')[-1], known, n=1)
            suggestion = f" (did you mean '{hint[0]}'?)" if hint else ''
            raise ConfigError(
                f'{where}.type {type_name!r} is not a registered component'
                f'{suggestion}; fix the name, or import the module that '
                'registers it with custom_imports.')
