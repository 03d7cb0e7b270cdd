"""Keep a frozen ``teacher`` child out of its parent's checkpoints."""
from functools import partial

from torch import nn


def exclude_teacher_from_checkpoints(module: nn.Module,
                                     name: str = 'teacher') -> None:
    """Leave the frozen ``module.<name>`` out of ``module``'s checkpoints.

    ``state_dict()`` drops every ``<name>.`` key; ``load_state_dict()``
    fills them from the live submodule, so a checkpoint without them loads
    strictly. The frozen weights always come from their own file.

    Args:
        module (nn.Module): The model whose checkpoints leave it out.
        name (str): Attribute of the frozen submodule (a ``CLIPTeacher``).
    """
    module._register_state_dict_hook(partial(_drop, name=name))
    module._register_load_state_dict_pre_hook(
        partial(_fill, name=name), with_module=True)


def _drop(module, state_dict, prefix, local_metadata, name) -> None:
    for key in [k for k in state_dict if k.startswith(f'{prefix}{name}.')]:
        del state_dict[key]


def _fill(module, state_dict, prefix, *args, name) -> None:
    for key, value in getattr(module, name).state_dict().items():
        state_dict.setdefault(f'{prefix}{name}.{key}', value)
