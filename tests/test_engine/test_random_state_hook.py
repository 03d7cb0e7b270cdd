"""RandomStateHook hands a resumed random state to an exact loop, and says
so when the loop cannot take it."""
import logging
from types import SimpleNamespace

from mmengine.runner import EpochBasedTrainLoop, IterBasedTrainLoop

from vlkd_seg.engine import (ExactResumeEpochBasedTrainLoop,
                             ExactResumeIterBasedTrainLoop, RandomStateHook)
from vlkd_seg.engine.hooks import random_state_hook
from vlkd_seg.engine.loops import exact_resume_epoch_loop


def _runner(loop):
    return SimpleNamespace(
        _train_loop=loop, train_loop=loop, cfg=dict(resume=True))


def test_an_exact_loop_receives_the_state():
    for loop_type in (ExactResumeIterBasedTrainLoop,
                      ExactResumeEpochBasedTrainLoop):
        loop = loop_type.__new__(loop_type)
        loop._resume_state = None
        RandomStateHook().after_load_checkpoint(
            _runner(loop), dict(random_state=dict(python='state')))
        assert loop._resume_state == dict(python='state')


def test_mmengine_loop_resumes_with_a_warning(monkeypatch):
    logged = []
    monkeypatch.setattr(random_state_hook, 'print_log',
                        lambda msg, **kwargs: logged.append((msg, kwargs)))
    loop = IterBasedTrainLoop.__new__(IterBasedTrainLoop)
    RandomStateHook().after_load_checkpoint(
        _runner(loop), dict(random_state=dict(python='state')))
    ((message, kwargs), ) = logged
    assert 'resumes from the seed' in message
    assert 'ExactResumeIterBasedTrainLoop' in message
    assert kwargs['level'] == logging.WARNING


def test_a_mid_epoch_checkpoint_restarts_its_epoch_with_a_warning(monkeypatch):
    logged, restored = [], []
    monkeypatch.setattr(exact_resume_epoch_loop, 'print_log',
                        lambda msg, **kwargs: logged.append(msg))
    monkeypatch.setattr(exact_resume_epoch_loop, 'set_random_state',
                        restored.append)
    monkeypatch.setattr(EpochBasedTrainLoop, 'run_epoch', lambda self: None)
    loop = ExactResumeEpochBasedTrainLoop.__new__(
        ExactResumeEpochBasedTrainLoop)
    loop.dataloader, loop._epoch = [0, 1], 1
    for it, expected in ((3, []), (2, ['state'])):
        loop._iter, loop._resume_state = it, 'state'
        loop.run_epoch()
        assert restored == expected
    assert 'iteration 3 is inside epoch 2' in logged[0]
    assert logged[1] == 'random state of epoch 1 restored'
