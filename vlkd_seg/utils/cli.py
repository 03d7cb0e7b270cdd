"""One error path for the command-line tools."""
import argparse
import sys
from contextlib import contextmanager
from typing import Callable, Iterator

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


def at_least(low: int) -> Callable[[str], int]:
    """An argparse ``type``: an int >= ``low``, or argparse's one-line
    usage error naming the option and the range."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or value < low:
            raise argparse.ArgumentTypeError(
                f'must be an int >= {low}, got {text!r}')
        return value

    parse.__name__ = f'int >= {low}'
    return parse


def fraction(text: str) -> float:
    """An argparse ``type``: a number in [0, 1] (an opacity, a share)."""
    try:
        value = float(text)
    except ValueError:
        value = None
    if value is None or not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(
            f'must be a number in [0, 1], got {text!r}')
    return value
