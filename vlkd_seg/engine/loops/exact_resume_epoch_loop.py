import logging

from typing import Optional

from mmengine.logging import print_log
from mmengine.registry import LOOPS
from mmengine.runner import EpochBasedTrainLoop

from vlkd_seg.utils.random_state import set_random_state


@LOOPS.register_module()
class ExactResumeEpochBasedTrainLoop(EpochBasedTrainLoop):
    """``EpochBasedTrainLoop`` whose resumed run is the uninterrupted one.

    A run resumed from an end-of-epoch checkpoint puts back the random state
    saved with it (``RandomStateHook`` hands it over) as the next epoch
    starts, after the ``before_train`` hooks (which may draw, e.g. a teacher
    feature pass): the pipeline's augmentations, dropout and the loader's
    worker seeds then draw what the uninterrupted run drew, bit for bit on
    CPU. mmengine's loop resumes from the seed instead. A mid-epoch
    checkpoint (``by_epoch=False``) restarts its epoch, as mmengine does,
    and the state is not put back (a warning says so).

    Registered in mmengine's root registry; same arguments as
    ``EpochBasedTrainLoop``.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._resume_state: Optional[dict] = None

    def restore_after_skip(self, state: dict) -> None:
        """Put ``state`` back when the next epoch starts."""
        self._resume_state = state

    def run_epoch(self) -> None:
        """Train one epoch, first putting back a resumed random state."""
        state, self._resume_state = self._resume_state, None
        if state is not None:
            if self._iter == self._epoch * len(self.dataloader):
                set_random_state(state)
                print_log(
                    f'random state of epoch {self._epoch} restored',
                    logger='current')
            else:
                print_log(
                    f'iteration {self._iter} is inside epoch '
                    f'{self._epoch + 1}: the epoch restarts and the resumed '
                    'run draws differently from the uninterrupted one '
                    '(save checkpoints at epoch ends for an exact resume)',
                    logger='current',
                    level=logging.WARNING)
        super().run_epoch()
