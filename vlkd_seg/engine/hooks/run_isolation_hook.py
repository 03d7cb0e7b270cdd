from mmengine.hooks import Hook
from mmengine.registry import HOOKS
from mmengine.runner import set_random_seed


@HOOKS.register_module()
class RunIsolationHook(Hook):
    """Make a run's random draws depend on its own config alone.

    mmengine seeds the global random generators when it *builds* a runner,
    but initialises the weights and draws the batches when the run
    *starts*; anything in between (another runner's test in the same
    process) moved the student's start. When a run starts (train, val or
    test), this hook seeds the generators again with the runner's seed. On
    the embedded world a MaskCLIP test between building and training the
    student gave a student with unseen mIoU 0.0 instead of 61.7; with this
    hook it gives the same weights as the student trained alone
    (``tests/test_engine/test_run_isolation_hook.py``).

    Registered in mmengine's root registry (mmseg and mmpretrain configs);
    the default runtime adds it.
    """

    priority = 'VERY_HIGH'

    def before_run(self, runner) -> None:
        set_random_seed(runner.seed, deterministic=runner.deterministic)
