from torch import Tensor, nn

from vlkd_seg.utils.errors import ConfigError


class SpatialRegularization(nn.Module):
    """LSeg's spatial regularisation blocks on the class logits.

    One 3x3 kernel shared by every class map, so the blocks work for any
    vocabulary size. ``'bottleneck'`` blocks add the per-pixel max over
    classes before the activation; ``'depthwise'`` blocks do not.

    Args:
        depth (int): Number of blocks (0 = none).
        kind (str): ``'bottleneck'`` or ``'depthwise'``.
    """

    def __init__(self, depth: int = 1, kind: str = 'bottleneck'):
        super().__init__()
        if kind not in ('bottleneck', 'depthwise'):
            raise ConfigError(f"kind must be 'bottleneck' or 'depthwise', "
                              f'got {kind!r}')
        if not isinstance(depth, int) or depth < 0:
            raise ConfigError(f'depth must be an integer >= 0, got {depth!r}')
        self.kind = kind
        self.convs = nn.ModuleList(
            nn.Conv2d(1, 1, 3, padding=1) for _ in range(depth))
        self.act = nn.LeakyReLU()

    def forward(self, logits: Tensor) -> Tensor:
        """``(N, K, h, w)`` -> ``(N, K, h, w)``."""
        n, k, h, w = logits.shape
        for i, conv in enumerate(self.convs):
            out = conv(logits.reshape(n * k, 1, h, w)).reshape(n, k, h, w)
            if self.kind == 'bottleneck':
                out = out + logits.amax(dim=1, keepdim=True)
            logits = out if i == len(self.convs) - 1 else self.act(out)
        return logits
