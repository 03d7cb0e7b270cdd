"""vlkd_seg: vision-language knowledge distillation for segmentation.

Importing the package checks the OpenMMLab versions it was built for and
registers every component into the OpenMMLab registries, so configs only
need ``custom_imports = dict(imports=['vlkd_seg'])``. It changes nothing
else in the process: atomic, safely loadable checkpoints come from the
runtime config (``AtomicCheckpointHook``), not from the import.
"""
import mmcv
import mmengine
import mmseg
from mmengine.utils import digit_version

from .version import __version__

_SUPPORTED = {
    # name: (module, minimum inclusive, maximum exclusive)
    'mmcv': (mmcv, '2.0.0', '2.2.0'),
    'mmengine': (mmengine, '0.10.0', '1.0.0'),
    'mmsegmentation': (mmseg, '1.2.0', '1.3.0'),
}


def _check_versions() -> None:
    for name, (module, low, high) in _SUPPORTED.items():
        version = digit_version(module.__version__)
        if not digit_version(low) <= version < digit_version(high):
            raise ImportError(
                f'vlkd_seg needs {low} <= {name} < {high}, found '
                f'{module.__version__}; run `make setup` in the vlkd_seg '
                'repository (or see README "Install").')


_check_versions()

from . import compat  # noqa: E402
from . import classification, datasets, engine  # noqa: E402 isort:skip
from . import evaluation, models  # noqa: E402 isort:skip

__all__ = [
    '__version__', 'classification', 'compat', 'datasets', 'engine',
    'evaluation', 'models'
]
