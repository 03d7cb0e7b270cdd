import logging

from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmengine.registry import HOOKS

from vlkd_seg.utils.random_state import get_random_state, set_random_state


@HOOKS.register_module()
class RandomStateHook(Hook):
    """Carry the random state through checkpoints, and keep validation off
    training's random stream.

    * Each checkpoint holds the state of every generator the run draws
      from (``random_state``: Python, numpy, torch CPU and CUDA) as it
      stands after the saved iteration.
    * On resume, the state goes to ``ExactResumeIterBasedTrainLoop``, which
      puts it back once the trained batches are skipped; with another
      loop a warning says the resumed run will draw differently.
    * Validation during training starts from training's state and gives it
      back when it ends, so validating (its loader's seed, random test
      transforms) does not move the draws of the iterations after it; a
      resumed run, which does not repeat the validation, draws the same.

    Registered in mmengine's root registry; the default runtime adds it.
    """

    priority = 'VERY_HIGH'

    def __init__(self):
        self._training_state = None

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        checkpoint['random_state'] = get_random_state()

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        state = checkpoint.get('random_state')
        if state is None:
            return
        loop = runner.train_loop if runner._train_loop is not None and \
            not isinstance(runner._train_loop, dict) else None
        if hasattr(loop, 'restore_after_skip'):
            loop.restore_after_skip(state)
        elif loop is not None and runner.cfg.get('resume'):
            print_log(
                f'{type(loop).__name__} resumes from the seed, not from the '
                'random state of the checkpoint: use '
                "train_cfg=dict(type='ExactResumeIterBasedTrainLoop') for a "
                'resumed run that draws as the uninterrupted one',
                logger='current',
                level=logging.WARNING)

    def before_val(self, runner) -> None:
        self._training_state = get_random_state()

    def after_val(self, runner) -> None:
        if self._training_state is not None:
            set_random_state(self._training_state)
            self._training_state = None
