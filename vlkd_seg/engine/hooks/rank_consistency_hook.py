from typing import Optional

import torch
from mmengine.dist import all_gather, get_world_size
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmseg.registry import HOOKS


@HOOKS.register_module()
class RankConsistencyHook(Hook):
    """Check after training that every rank holds the same weights.

    Data-parallel ranks must end with identical parameters; a difference
    means gradients were not synchronised (a broken launcher or a module
    kept out of DDP). Each rank reduces its parameters to a float64
    checksum, the checksums are gathered and compared.

    Args:
        rtol (float): Relative tolerance between the ranks' checksums.
    """
    priority = 'VERY_LOW'

    def __init__(self, rtol: float = 1e-6):
        self.rtol = rtol

    def after_train(self, runner) -> None:
        world_size = get_world_size()
        if world_size == 1:
            return
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        checksum = self.checksum(model)
        sums = torch.stack(all_gather(checksum)).flatten()
        spread = (sums.max() - sums.min()).abs().item()
        if spread > self.rtol * sums.abs().max().item():
            raise RuntimeError(
                f'ranks disagree on the weights after training: checksums '
                f'{sums.tolist()}; gradients were not synchronised.')
        runner.logger.info(f'{world_size} ranks agree on the weights '
                           f'(checksum {sums[0].item():.8f})')

    @staticmethod
    def checksum(model: torch.nn.Module,
                 device: Optional[torch.device] = None) -> torch.Tensor:
        """Sum of ``|p| * (i + 1)`` over all parameter elements, float64."""
        total = torch.zeros(1, dtype=torch.float64)
        for i, param in enumerate(model.parameters()):
            total += param.detach().double().abs().sum().cpu() * (i + 1)
        return total.to(device or next(model.parameters()).device)
