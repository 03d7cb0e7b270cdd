from typing import Callable, Dict

import torch
import torch.nn.functional as F
from mmseg.registry import MODELS
from torch import Tensor, nn

from vlkd_seg.utils.errors import number_in_range


@MODELS.register_module()
class CLIPJudgedCAMLoss(nn.Module):
    """CLIMS's losses (Xie et al., CVPR 2022): a frozen CLIP judges the
    image regions each class activation map keeps and drops.

    For every tagged pair (image ``n``, class ``k``) with map ``M`` in
    ``[0, 1]``, CLIP embeds the kept image ``M * I`` and the dropped one
    ``(1 - M) * I`` (both resized to ``input_size``), and with ``s`` the
    cosine of an embedding to a text:

    * object: ``object_weight * -log s(M * I, k)``;
    * background: ``background_weight * -log(1 - s((1 - M) * I, k))``;
    * co-occurring background suppression: ``suppression_weight *
      sum_j -log(1 - s(M * I, bg_j))`` over the background texts ``bg_j``
      whose cosine exceeds ``suppression_thresh``;
    * area: ``area_weight * mean(M)``.

    The first two are means over the pairs, the third a sum (the
    release's); cosines are clamped to ``[eps, 1 - eps]`` before the logs.
    Maps of untagged classes take no part, the area included (the release
    averages every map of the batch).

    Args:
        object_weight, background_weight, suppression_weight, area_weight
            (float): The release's 10, 24, 1, 0.2.
        suppression_thresh (float): The release's 0.26.
        input_size (int): CLIP's input side (224 for ViT-B/32).
        eps (float): Clamp of the cosines.
    """

    def __init__(self,
                 object_weight: float = 10.,
                 background_weight: float = 24.,
                 suppression_weight: float = 1.,
                 area_weight: float = 0.2,
                 suppression_thresh: float = 0.26,
                 input_size: int = 224,
                 eps: float = 1e-4):
        super().__init__()
        self.weights = {
            name: number_in_range(value, f'CLIPJudgedCAMLoss {name}_weight', 0)
            for name, value in (('object', object_weight), ('background',
                                                            background_weight),
                                ('suppression',
                                 suppression_weight), ('area', area_weight))
        }
        self.suppression_thresh = number_in_range(
            suppression_thresh, 'CLIPJudgedCAMLoss suppression_thresh', -1, 1)
        self.input_size = int(
            number_in_range(input_size, 'CLIPJudgedCAMLoss input_size', 1))
        self.eps = number_in_range(eps, 'CLIPJudgedCAMLoss eps', 0, 0.5)

    def forward(self, maps: Tensor, images: Tensor, pairs: Tensor,
                judge: Callable[[Tensor], Tensor], class_text: Tensor,
                background_text: Tensor) -> Dict[str, Tensor]:
        """The four weighted losses.

        Args:
            maps (Tensor): ``(N, K, h, w)`` activation maps in ``[0, 1]``.
            images (Tensor): ``(N, 3, H, W)`` CLIP-normalised images.
            pairs (Tensor): ``(P, 2)`` long (image, class) of every tag.
            judge (callable): ``(P, 3, S, S)`` images to ``(P, D)`` unit
                embeddings with gradients to the images
                (``CLIPTeacher.judge_images``).
            class_text (Tensor): ``(K, D)`` unit texts of the classes.
            background_text (Tensor): ``(B, D)`` unit background texts.

        Returns:
            dict[str, Tensor]: ``loss_object``, ``loss_background``,
            ``loss_suppression``, ``loss_area``.
        """
        size = (self.input_size, self.input_size)
        kept = maps[pairs[:, 0], pairs[:, 1]][:, None]  # (P, 1, h, w)
        mask = F.interpolate(kept, size, mode='bilinear', align_corners=True)
        image = F.interpolate(
            images, size, mode='bilinear', align_corners=True)[pairs[:, 0]]
        fg, bg = judge(mask * image), judge((1 - mask) * image)
        text = class_text[pairs[:, 1]].to(fg)
        s_fg = self._clamp((fg * text).sum(-1))
        s_bg = self._clamp((bg * text).sum(-1))
        s_bgt = fg @ background_text.to(fg).t()  # (P, B)
        hit = (s_bgt > self.suppression_thresh).to(fg)
        w = self.weights
        return dict(
            loss_object=w['object'] * -torch.log(s_fg).mean(),
            loss_background=w['background'] * -torch.log(1 - s_bg).mean(),
            loss_suppression=w['suppression'] *
            -(torch.log(1 - self._clamp(s_bgt)) * hit).sum(),
            loss_area=w['area'] * kept.mean())

    def _clamp(self, s: Tensor) -> Tensor:
        return s.clamp(self.eps, 1 - self.eps)
