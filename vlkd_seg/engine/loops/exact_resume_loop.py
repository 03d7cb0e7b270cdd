import logging
from typing import Optional

from mmengine.logging import print_log
from mmengine.registry import LOOPS
from mmengine.runner import IterBasedTrainLoop
from torch import nn

from vlkd_seg.utils.random_state import set_random_state


@LOOPS.register_module()
class ExactResumeIterBasedTrainLoop(IterBasedTrainLoop):
    """``IterBasedTrainLoop`` whose resumed run is the uninterrupted one.

    A resumed run skips the batches already trained, as mmengine's loop
    does, and then puts back the random state saved with the checkpoint
    (``RandomStateHook`` hands it over): the pipeline's flips, dropout and
    the batches' order then draw what the uninterrupted run drew, bit for
    bit on CPU. mmengine's loop resumes from the seed instead, and with the
    skipped batches' draws: dropout and flips differ from there on.

    Registered in mmengine's root registry; same arguments as
    ``IterBasedTrainLoop``.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._resume_state: Optional[dict] = None

    def restore_after_skip(self, state: dict) -> None:
        """Put ``state`` back once the trained batches are skipped."""
        self._resume_state = state

    def run(self) -> nn.Module:
        """Train, after skipping what a resumed checkpoint trained."""
        self.runner.call_hook('before_train')
        self.runner.call_hook('before_train_epoch')
        self._skip_trained_batches()
        while self._iter < self._max_iters and not self.stop_training:
            self.runner.model.train()
            self.run_iter(next(self.dataloader_iterator))
            self._decide_current_val_interval()
            if self._validates_now():
                self.runner.val_loop.run()
        self.runner.call_hook('after_train_epoch')
        self.runner.call_hook('after_train')
        return self.runner.model

    def _skip_trained_batches(self) -> None:
        if self._iter == 0:
            return
        print_log(
            f'Advance dataloader {self._iter} steps to skip data that has '
            'already been trained',
            logger='current',
            level=logging.WARNING)
        for _ in range(self._iter):
            next(self.dataloader_iterator)
        if self._resume_state is not None:
            set_random_state(self._resume_state)
            self._resume_state = None
            print_log(
                f'random state of iteration {self._iter} restored',
                logger='current')

    def _validates_now(self) -> bool:
        return (self.runner.val_loop is not None
                and self._iter >= self.val_begin
                and (self._iter % self.val_interval == 0
                     or self._iter == self._max_iters))
