"""Errors that mean a mistake in the user's input.

The tools print a :class:`UserError` as one line (``error: ...``) and exit
non-zero; any other exception is a bug and keeps its traceback. Each
subclass also derives from the built-in exception a caller would expect,
so ``except ValueError`` and ``except FileNotFoundError`` still work.
"""


class UserError(Exception):
    """A mistake in the user's input; the message says what, where (config
    key or file) and how to fix it."""


class ConfigError(UserError, ValueError):
    """A value of a config, a command-line argument or a file is wrong."""


class MissingFileError(UserError, FileNotFoundError):
    """A file or folder the user pointed at does not exist."""


class SetupError(UserError, RuntimeError):
    """The parts of a run do not fit together (model, pipeline, hooks,
    data), found while it runs."""
