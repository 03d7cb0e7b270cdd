"""mmengine's process-wide named instances (visualizers, loggers, message
hubs, default scopes), put back after a test or an in-process tool run: a
later runner of the same name would otherwise reuse an earlier one's (a
``tools/test.py --show-dir`` drew into another run's folder)."""
import contextlib
from typing import Iterator

from mmengine.utils import ManagerMixin


@contextlib.contextmanager
def named_instances_restored() -> Iterator[None]:
    """Run the body, then drop the named instances it created."""
    saved = {cls: dict(cls._instance_dict) for cls in _managed()}
    try:
        yield
    finally:
        for cls in _managed():
            cls._instance_dict.clear()
            cls._instance_dict.update(saved.get(cls, {}))


def _managed() -> list:
    """Every class whose named instances mmengine keeps globally."""
    found, todo = [], [ManagerMixin]
    while todo:
        cls = todo.pop()
        todo += cls.__subclasses__()
        if '_instance_dict' in vars(cls):
            found.append(cls)
    return found
