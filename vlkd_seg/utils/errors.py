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


#: How to get CLIP weights onto a machine that runs offline.
WEIGHTS_HINT = (
    'CLIP weights are never downloaded at run time: fetch them once on a '
    'machine with internet access (e.g. `open_clip.create_model('
    '"ViT-B-16", pretrained="openai", cache_dir="checkpoints")`, or '
    "OpenAI's ViT-B-16.pt / RN50.pt release files), copy the file here and "
    'pass its path as `checkpoint` (README "Real weights").')

#: Where CLIPSeg's published weights come from.
CLIPSEG_WEIGHTS_HINT = (
    'download CIDAS/clipseg-rd64-refined once on a machine with internet '
    'access (huggingface-cli download CIDAS/clipseg-rd64-refined '
    '--local-dir checkpoints/clipseg-rd64-refined) and copy the folder '
    'here (README "CLIPSeg").')


def required(value, key: str, owner: str):
    """``value``, or a :class:`ConfigError` saying where it comes from.

    Args:
        value: The argument a component received (None if not given).
        key (str): The argument's name (``'class_names'``, ...).
        owner (str): The component, for the message.
    """
    if value is None:
        raise ConfigError(
            f'{owner} got no {key}: give it in the config; a recipe passes '
            f'its dataset base\'s ({key}={{{{_base_.{key}}}}}).')
    return value


def number_in_range(value, key: str, low: float,
                    high: float = float('inf')) -> float:
    """``value`` as a float, or a :class:`ConfigError` saying the range.

    Args:
        value: What the config gave.
        key (str): Where it was given (``'KeySmoothing thresh'``).
        low (float): Smallest allowed value.
        high (float): Largest allowed value (default: none).
    """
    if isinstance(
            value,
            bool) or not isinstance(value,
                                    (int, float)) or not low <= value <= high:
        where = f'>= {low}' if high == float('inf') else f'in [{low}, {high}]'
        raise ConfigError(f'{key} must be a number {where}, got {value!r}')
    return float(value)
