"""vlkd_seg: vision-language knowledge distillation for segmentation.

Importing the package checks the OpenMMLab versions it was built for and
registers every component into the OpenMMLab registries, so configs only
need ``custom_imports = dict(imports=['vlkd_seg'])``. It changes one thing
else in the process, before any model is imported: mmpretrain's switch of
its multimodal models, off (see :func:`_keep_mmpretrain_multimodal_off`).
Atomic, safely loadable checkpoints come from the runtime config
(``AtomicCheckpointHook``), not from the import.
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


def _keep_mmpretrain_multimodal_off() -> None:
    """mmpretrain 1.2 imports its multimodal models (BLIP, Flamingo, ...)
    whenever pycocotools and transformers are installed, and they do not
    import with transformers >= 4.57 (their BERT base class is None): the
    error takes ``mmpretrain.models`` down, and with it mmdet (the
    Mask2Former of FreeSeg, which needs pycocotools) and ``mmseg.models``.
    vlkd_seg uses none of them, so it sets mmpretrain's own switch
    (``WITH_MULTIMODAL``) off before a model module is imported; code that
    imports ``mmseg.models`` before ``vlkd_seg`` gets mmpretrain's error."""
    import mmpretrain.utils.dependency as dependency
    dependency.WITH_MULTIMODAL = False


_check_versions()
_keep_mmpretrain_multimodal_off()

from . import compat  # noqa: E402
from . import classification, datasets, engine  # noqa: E402 isort:skip
from . import evaluation, models  # noqa: E402 isort:skip

__all__ = [
    '__version__', 'classification', 'compat', 'datasets', 'engine',
    'evaluation', 'models'
]
