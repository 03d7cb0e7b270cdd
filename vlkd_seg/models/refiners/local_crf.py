"""A CRF over a local window: pseudo-labels snapped to image edges.

CLIP-ES post-processes its class maps with a fully connected CRF
(Krähenbühl and Koltun 2011; pydensecrf, 10 iterations, Potts model) before
training the student. :class:`LocalCRF` runs the same mean-field updates on
the GPU, batched, with each pixel's pairwise terms limited to a square
window (as ConvCRF, Teichmann and Cipolla 2018, does), so it needs no extra
package and no trip to the CPU.
"""
import math
from typing import Iterator, Tuple

import torch
import torch.nn.functional as F
from mmseg.registry import MODELS
from torch import Tensor

from vlkd_seg.utils.errors import ConfigError
from .label_batch import LabelBatch


@MODELS.register_module()
class LocalCRF:
    """Mean-field inference of a Potts CRF with Gaussian pairwise kernels.

    ``Q_i(l) ∝ P_i(l) * exp(sum_{j != i} k(i, j) Q_j(l))`` repeated
    ``iters`` times from ``Q = P``, where ``k`` adds an appearance kernel
    ``bi_w * exp(-|p_i - p_j|^2 / 2 bi_xy_std^2 - |I_i - I_j|^2 / 2
    bi_rgb_std^2)`` and a smoothness kernel ``pos_w * exp(-|p_i - p_j|^2 /
    2 pos_xy_std^2)`` over the pixels ``j`` within ``radius * dilation`` of
    ``i`` (every ``dilation``-th pixel, and the 8 nearest). Pixel distances
    are in pixels and colours in 0-255 units, as in pydensecrf. A wrong
    band next to an edge is corrected where the window reaches across it to
    the rest of its colour region, whose majority label it then takes.

    As a pseudo-label refiner (``TeacherLabeller(refiners=[...])``) it
    snaps the teacher's probabilities, upsampled to the image, to the
    image's colours (CLIP-ES's dense CRF step).

    Args:
        iters (int): Mean-field iterations (CLIP-ES: 10).
        radius (int): Window half-size in samples.
        dilation (int): Pixels between window samples.
        bi_w (float): Weight of the appearance kernel (CLIP-ES: 4).
        bi_xy_std (float): Its spatial scale in pixels (CLIP-ES: 67).
        bi_rgb_std (float): Its colour scale (CLIP-ES: 3 on VOC photos).
        pos_w (float): Weight of the smoothness kernel (CLIP-ES: 3).
        pos_xy_std (float): Its scale in pixels (CLIP-ES: 1).
    """
    needs_pixels = True
    needs_keys = False

    def __init__(self,
                 iters: int = 10,
                 radius: int = 5,
                 dilation: int = 1,
                 bi_w: float = 4.,
                 bi_xy_std: float = 67.,
                 bi_rgb_std: float = 3.,
                 pos_w: float = 3.,
                 pos_xy_std: float = 1.):
        self.settings = dict(
            iters=iters,
            radius=radius,
            dilation=dilation,
            bi_xy_std=bi_xy_std,
            bi_rgb_std=bi_rgb_std,
            pos_xy_std=pos_xy_std)
        bad = {k: v for k, v in self.settings.items() if not v > 0}
        if bad or bi_w < 0 or pos_w < 0:
            raise ConfigError(
                f'LocalCRF: {bad or dict(bi_w=bi_w, pos_w=pos_w)}'
                ' must be positive (weights may be 0)')
        self.settings.update(bi_w=bi_w, pos_w=pos_w)
        self.iters, self.radius, self.dilation = iters, radius, dilation
        self.bi = (bi_w, bi_xy_std, bi_rgb_std)
        self.pos = (pos_w, pos_xy_std)

    def refine(self, probs: Tensor, batch: LabelBatch) -> Tensor:
        """``probs`` ``(N, C, h, w)`` upsampled to the images of ``batch``
        and refined on their colours: ``(N, C, H, W)``."""
        return self(
            F.interpolate(
                probs,
                size=batch.pixels.shape[-2:],
                mode='bilinear',
                align_corners=False), batch.pixels)

    def __call__(self, probs: Tensor, image: Tensor) -> Tensor:
        """Refined class probabilities.

        Args:
            probs (Tensor): ``(N, K, H, W)`` probabilities (the unary term);
                a class with probability 0 at a pixel stays 0 there.
            image (Tensor): ``(N, 3, H, W)`` RGB in 0-255.

        Returns:
            Tensor: ``(N, K, H, W)`` probabilities, summing to 1 per pixel.
        """
        if probs.shape[0] != image.shape[0] or probs.shape[-2:] != image.shape[
                -2:]:
            raise ConfigError(f'LocalCRF: probabilities {tuple(probs.shape)}'
                              f' and image {tuple(image.shape)} differ in '
                              'batch or size')
        probs, image = probs.float(), image.float()
        offsets = list(self._offsets())
        kernels = self._kernels(image, offsets)
        unary = probs.clamp_min(1e-30).log()
        q = probs
        for _ in range(self.iters):
            q = (unary + _message(q, kernels, offsets)).softmax(dim=1)
        return q

    def _offsets(self) -> Iterator[Tuple[int, int]]:
        """Every ``dilation``-th pixel within the window, and the 8 nearest
        (the smoothness kernel's reach)."""
        r, d = self.radius, self.dilation
        offsets = {(dy * d, dx * d)
                   for dy in range(-r, r + 1)
                   for dx in range(-r, r + 1)}
        offsets |= {(dy, dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1)}
        offsets.discard((0, 0))
        return iter(sorted(offsets))

    def _kernels(self, image: Tensor, offsets) -> Tensor:
        """``(O, N, 1, H, W)``: per offset, the pairwise weight between each
        pixel and its neighbour there (0 where that lies outside)."""
        bi_w, bi_xy, bi_rgb = self.bi
        pos_w, pos_xy = self.pos
        reach = max(max(abs(dy), abs(dx)) for dy, dx in offsets)
        padded = F.pad(image, (reach, ) * 4)
        inside = F.pad(torch.ones_like(image[:, :1]), (reach, ) * 4)
        kernels = []
        for dy, dx in offsets:
            dist2 = float(dy * dy + dx * dx)
            colour2 = (image - _window(padded, reach, dy, dx)).pow(2).sum(
                1, keepdim=True)
            k = bi_w * torch.exp(-dist2 / (2 * bi_xy**2) - colour2 /
                                 (2 * bi_rgb**2))
            k = k + pos_w * math.exp(-dist2 / (2 * pos_xy**2))
            kernels.append(k * _window(inside, reach, dy, dx))
        return torch.stack(kernels)


def _message(q: Tensor, kernels: Tensor, offsets) -> Tensor:
    """``sum_o k_o * q(shifted by o)``: the Potts mean-field message."""
    reach = max(max(abs(dy), abs(dx)) for dy, dx in offsets)
    padded = F.pad(q, (reach, ) * 4)
    message = torch.zeros_like(q)
    for k, (dy, dx) in zip(kernels, offsets):
        message.addcmul_(k, _window(padded, reach, dy, dx))
    return message


def _window(padded: Tensor, reach: int, dy: int, dx: int) -> Tensor:
    """View of ``x[..., i + dy, j + dx]`` from ``x`` padded by ``reach``."""
    h, w = padded.shape[-2] - 2 * reach, padded.shape[-1] - 2 * reach
    return padded[..., reach + dy:reach + dy + h, reach + dx:reach + dx + w]
