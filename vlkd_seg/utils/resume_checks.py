"""Whether a checkpoint can continue the run a config describes: a resume
that cannot be what the user asked for is refused in one line."""
from typing import Dict, List

from mmengine.config import Config

from .checkpoints import load_checkpoint_safely
from .errors import ConfigError, SetupError

#: Config parts a resumed run takes from its checkpoint, not its config
_FROM_CHECKPOINT = ('param_scheduler', 'optim_wrapper.optimizer')


def check_resume_config(cfg: Config, checkpoint: str) -> None:
    """Refuse to resume ``checkpoint`` under ``cfg`` when the run would not
    be the one ``cfg`` asks for: another model type, a schedule or
    optimiser that the checkpoint's state would silently override, or
    ``max_iters`` that leaves nothing to train.

    Raises:
        ConfigError: Naming the difference and the way out.
    """
    meta = (load_checkpoint_safely(checkpoint, 'cpu', mmap=True)
            or {}).get('meta', {})  # its tensors were read when it was found
    done = int(meta.get('iter', 0))
    max_iters = (cfg.get('train_cfg') or {}).get('max_iters')
    if max_iters is not None and max_iters <= done:
        raise ConfigError(
            f'--resume: {checkpoint} is at iteration {done} and '
            f'train_cfg.max_iters is {max_iters}: nothing is left to train; '
            f'set max_iters above {done}, or train into a new --work-dir')
    if not meta.get('cfg'):
        return
    saved = Config.fromstring(meta['cfg'], file_format='.py')
    old, new = _get(saved, 'model.type'), _get(cfg, 'model.type')
    if old != new:
        raise ConfigError(
            f'--resume: {checkpoint} was trained as a {old}, this config '
            f'builds a {new}: resume it with its own recipe, or train into '
            'a new --work-dir')
    for key in _FROM_CHECKPOINT:
        old, new = _get(saved, key), _get(cfg, key)
        if old != new:
            raise ConfigError(
                f'--resume: {key} differs from the one {checkpoint} was '
                f'trained with ({_short(old)} -> {_short(new)}); a resumed '
                "run would follow the checkpoint's silently: keep the "
                'recipe as it was, or train into a new --work-dir')


def check_resumed_weights(saved: Dict, current: Dict) -> None:
    """Refuse a checkpoint whose parameters are not the model's (names and
    shapes of two ``state_dict``s).

    Raises:
        SetupError: Naming up to three differences.
    """
    problems: List[str] = [f'{k} missing' for k in current if k not in saved]
    problems += [f'{k} unexpected' for k in saved if k not in current]
    problems += [
        f'{k} {tuple(saved[k].shape)} vs {tuple(v.shape)}'
        for k, v in current.items()
        if k in saved and hasattr(saved[k], 'shape')
        and tuple(saved[k].shape) != tuple(v.shape)
    ]
    if problems:
        raise SetupError(
            f'--resume: the checkpoint\'s parameters are not this model\'s '
            f'({len(problems)} differences: {"; ".join(problems[:3])}): it '
            'belongs to another recipe; train into a new --work-dir')


def _get(cfg: Config, key: str):
    node = cfg
    for part in key.split('.'):
        node = node.get(part) if hasattr(node, 'get') else None
    return node.to_dict() if hasattr(node, 'to_dict') else (
        [n.to_dict() if hasattr(n, 'to_dict') else n
         for n in node] if isinstance(node, list) else node)


def _short(value, limit: int = 120) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + '...'
