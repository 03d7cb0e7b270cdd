from typing import Optional, Tuple

import torch
import torch.nn.functional as F
from mmseg.registry import MODELS
from torch import Tensor, nn

from vlkd_seg.utils.clip_input import pad_to_stride
from vlkd_seg.utils.errors import ConfigError, number_in_range
from .preprocess import clip_input_size


@MODELS.register_module()
class CLIPRegionClassifier(nn.Module):
    """Names mask proposals with a frozen CLIP: the second opinion of the
    two-stage open-vocabulary models (ZSSeg, FreeSeg).

    Each proposal's mask is binarised at ``mask_thresh``; then either

    * ``mode='crop'`` (the FreeSeg release): the image outside the mask is
      set to CLIP's mean pixel (0 after CLIP's normalisation), the mask's
      bounding box is cut out, resized to CLIP's input size (bicubic) and
      embedded by the image tower; or
    * ``mode='pool'``: the MaskCLIP dense features of the whole image are
      averaged over the mask (one image forward for every proposal);

    and the embedding is classified by ``softmax(logit_scale * cos)`` to the
    texts. Pixels outside a proposal's mask never reach its class. It holds
    no weights: the CLIP (a ``CLIPTeacher``) is an argument.

    Args:
        mode (str): ``'crop'`` or ``'pool'``.
        mask_thresh (float): Probability above which a pixel is in a
            proposal (release: 0.5).
        crop_size (int, optional): Side of the crops; None: the image
            tower's input size.
        logit_scale (float): Temperature of the cosines (release: 100).
    """

    def __init__(self,
                 mode: str = 'crop',
                 mask_thresh: float = 0.5,
                 crop_size: Optional[int] = None,
                 logit_scale: float = 100.) -> None:
        super().__init__()
        if mode not in ('crop', 'pool'):
            raise ConfigError(f"CLIPRegionClassifier mode must be 'crop' or "
                              f"'pool', got {mode!r}")
        self.mode = mode
        self.mask_thresh = number_in_range(mask_thresh,
                                           'CLIPRegionClassifier mask_thresh',
                                           0, 1)
        if crop_size is not None and not (isinstance(crop_size, int)
                                          and crop_size > 0):
            raise ConfigError('CLIPRegionClassifier crop_size must be a '
                              f'positive int or None, got {crop_size!r}')
        self.crop_size = crop_size
        self.logit_scale = number_in_range(logit_scale,
                                           'CLIPRegionClassifier logit_scale',
                                           1e-3)

    @torch.no_grad()
    def forward(self, clip: nn.Module, images: Tensor, mask_logits: Tensor,
                text: Tensor) -> Tuple[Tensor, Tensor]:
        """Class probabilities of every proposal.

        Args:
            clip (CLIPTeacher): The frozen CLIP.
            images (Tensor): ``(N, 3, H, W)`` CLIP-normalised images.
            mask_logits (Tensor): ``(N, Q, H, W)`` proposal mask logits.
            text (Tensor): ``(K, D)`` class texts.

        Returns:
            tuple[Tensor, Tensor]: ``(N, Q, K)`` probabilities, and
            ``(N, Q)`` bool: which proposals have a pixel (an empty one's
            probabilities are all 1, so an ensemble keeps the other's).
        """
        masks = mask_logits.sigmoid() > self.mask_thresh
        valid = masks.flatten(2).any(-1)
        embeds = self.embed(clip, images, masks)
        text = F.normalize(text.to(embeds), dim=-1)
        probs = (self.logit_scale * embeds @ text.t()).softmax(-1)
        return torch.where(valid[..., None], probs,
                           torch.ones_like(probs)), valid

    @torch.no_grad()
    def embed(self, clip: nn.Module, images: Tensor, masks: Tensor) -> Tensor:
        """Unit CLIP embeddings of image regions, by :attr:`mode`.

        Args:
            clip (CLIPTeacher): The frozen CLIP.
            images (Tensor): ``(N, 3, H, W)`` CLIP-normalised images.
            masks (Tensor): ``(N, Q, H, W)`` bool regions.

        Returns:
            Tensor: ``(N, Q, D)`` (an empty region's: a blank crop's).
        """
        if self.mode == 'pool':
            return self._pooled_embeddings(clip, images, masks)
        return torch.stack([
            self._crop_embeddings(clip, image, mask)
            for image, mask in zip(images, masks)
        ])

    def _crop_embeddings(self, clip, image: Tensor, masks: Tensor) -> Tensor:
        """``(Q, D)`` unit embeddings of the masked crops of one image
        (an empty mask's crop is blank)."""
        size = self.crop_size or clip_input_size(clip.clip)
        crops = image.new_zeros(len(masks), 3, size, size)
        for q, mask in enumerate(masks):
            rows, cols = mask.any(1).nonzero(), mask.any(0).nonzero()
            if len(rows) == 0:
                continue
            box = (image * mask)[:, rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]
            crops[q] = F.interpolate(
                box[None], (size, size), mode='bicubic', align_corners=True)[0]
        return clip.encode_image(crops).to(image)

    @staticmethod
    def _pooled_embeddings(clip, images: Tensor, masks: Tensor) -> Tensor:
        """``(N, Q, D)`` unit mask averages of the dense features (each
        feature cell weighted by the share of it inside the mask)."""
        stride = clip.stride
        feats = clip.dense_features(pad_to_stride(images, stride))
        weights = F.adaptive_avg_pool2d(
            pad_to_stride(masks.float(), stride), feats.shape[-2:])
        pooled = torch.einsum('nqhw,ndhw->nqd', weights, feats.to(weights))
        return F.normalize(pooled, dim=-1)
