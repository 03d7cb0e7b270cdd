"""One error path for the command-line tools."""
import sys
from contextlib import contextmanager
from typing import Iterator

from .errors import UserError


def one_line(err: BaseException) -> str:
    """``err``'s message on one line.

    An error re-raised from a DataLoader worker carries the worker's
    traceback; its last line is the message.
    """
    text = str(err).strip()
    if 'Original Traceback' in text:
        text = text.splitlines()[-1].split(': ', 1)[-1]
    return ' '.join(line.strip() for line in text.splitlines())


@contextmanager
def user_errors(debug: bool = False) -> Iterator[None]:
    """Turn a :class:`UserError` raised inside into ``error: ...`` on
    stderr and exit status 1, without a traceback.

    Any other exception is a bug and keeps its traceback; ``debug`` keeps
    the traceback of user errors too.
    """
    try:
        yield
    except UserError as err:
        if debug:
            raise
        sys.exit(f'error: {one_line(err)}')
