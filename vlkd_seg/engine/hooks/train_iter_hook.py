from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmengine.registry import HOOKS


@HOOKS.register_module()
class TrainIterHook(Hook):
    """Tell the model which training iteration runs.

    Before every training step, a model with ``set_train_iter`` (the
    distillers, whose pseudo-labellers start at given iterations) gets
    ``runner.iter``: the schedule follows the runner it trains in,
    resumed runs included, and nothing is read from a process-wide
    message hub. Other models are left alone. The default runtime adds it.
    """

    priority = 'HIGH'

    def before_train_iter(self,
                          runner,
                          batch_idx: int,
                          data_batch=None) -> None:
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        if hasattr(model, 'set_train_iter'):
            model.set_train_iter(runner.iter)
