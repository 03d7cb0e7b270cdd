"""Keep a frozen ``teacher`` child out of its parent's checkpoints."""
from torch import nn


def exclude_teacher_from_checkpoints(module: nn.Module) -> None:
    """Leave ``module.teacher`` out of ``module``'s checkpoints.

    ``state_dict()`` drops every ``teacher.`` key; ``load_state_dict()``
    fills them from the live teacher, so a checkpoint without them loads
    strictly. The teacher's weights always come from its own file.
    """
    module._register_state_dict_hook(_drop_teacher)
    module._register_load_state_dict_pre_hook(_fill_teacher, with_module=True)


def _drop_teacher(module, state_dict, prefix, local_metadata) -> None:
    for key in [k for k in state_dict if k.startswith(prefix + 'teacher.')]:
        del state_dict[key]


def _fill_teacher(module, state_dict, prefix, *args) -> None:
    for key, value in module.teacher.state_dict().items():
        state_dict.setdefault(f'{prefix}teacher.{key}', value)
