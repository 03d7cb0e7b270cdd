from typing import Sequence, Tuple, Union

import torch
import torch.nn.functional as F
from mmseg.registry import MODELS
from mmseg.utils import ConfigType, SampleList
from torch import Tensor

from vlkd_seg.utils.errors import number_in_range
from ..label_maps import seen_positions, stacked_labels
from ..teachers import (build_learned_prompts,
                        exclude_teacher_from_checkpoints)
from .maskclip_segmentor import MaskCLIPSegmentor


@MODELS.register_module()
class PromptLearner(MaskCLIPSegmentor):
    """FreeSeg's stage 1: prompt context vectors (``LearnedPrompts``)
    learned on crops of ground-truth masks, every weight of CLIP frozen.

    Every seen class in an image's ground truth is a region: its masked
    crop (``region_classifier``, the FreeSeg release's crop by default:
    the image outside the mask at CLIP's mean pixel, the mask's box
    resized to CLIP's input) is embedded by the frozen image tower and
    classified by ``logit_scale * cos`` against the prompted texts of the
    seen classes (cross-entropy). Pixels of ``unseen_idx`` and
    ``ignore_index`` are never regions and the unseen texts are never
    scored: the prompts are learned inductively. Checkpoints hold the
    prompts only; ``FreeSeg(prompts=dict(checkpoint=...))`` loads them.

    At test it is MaskCLIP with the learned texts: :attr:`text` is the
    current prompts' texts of the whole vocabulary.

    Args:
        teacher (dict): ``CLIPTeacher`` config.
        class_names (str | Sequence[str]): Vocabulary.
        unseen_idx (Sequence[int]): Classes left out of training.
        prompts (dict): ``LearnedPrompts`` config (its ``width`` is the
            CLIP's).
        region_classifier (dict): ``CLIPRegionClassifier`` config: how a
            region is embedded.
        logit_scale (float): Temperature of the cosines (release: 100).
        ignore_index (int): Label of pixels that are no region.
        **kwargs: ``MaskCLIPSegmentor``'s other arguments (refiners,
            data_preprocessor, test_cfg, init_cfg, pretrained, train_cfg).
    """

    def __init__(
            self,
            teacher: ConfigType,
            class_names: Union[str, Sequence[str], None] = None,
            unseen_idx: Sequence[int] = (),
            prompts: ConfigType = dict(type='LearnedPrompts'),
            region_classifier: ConfigType = dict(type='CLIPRegionClassifier'),
            logit_scale: float = 100.,
            ignore_index: int = 255,
            **kwargs):
        super().__init__(teacher, class_names, **kwargs)
        self._keep_split(list(unseen_idx))
        self.prompts = build_learned_prompts(prompts, self.teacher)
        self.region_classifier = MODELS.build(region_classifier)
        self.logit_scale = number_in_range(logit_scale,
                                           'PromptLearner logit_scale', 1e-3)
        self.ignore_index = ignore_index
        exclude_teacher_from_checkpoints(self, 'teacher')

    @property
    def text(self) -> Tensor:
        """``(K, D)`` texts of the vocabulary's names through the current
        prompts (no gradient)."""
        with torch.no_grad():
            return self.prompts(self.teacher, self.class_names)

    def loss(self, inputs: Tensor, data_samples: SampleList) -> dict:
        """Cross-entropy of the seen regions' crops against the prompted
        seen texts, and its accuracy (%)."""
        seen = [i for i in range(self.num_classes) if i not in self.unseen_idx]
        labels = seen_positions(
            stacked_labels(data_samples)[:, 0], seen, self.ignore_index)
        embeds, targets = self.region_embeddings(inputs, labels)
        text = self.prompts(self.teacher, [self.class_names[i] for i in seen])
        if len(targets) == 0:  # no seen region: nothing to learn from
            return dict(loss_prompt=text.sum() * 0)
        logits = self.logit_scale * embeds @ text.t()
        accuracy = (logits.argmax(1) == targets).float().mean() * 100
        return dict(
            loss_prompt=F.cross_entropy(logits, targets),
            acc_prompt=accuracy.detach())

    def region_embeddings(self, inputs: Tensor,
                          labels: Tensor) -> Tuple[Tensor, Tensor]:
        """The regions of a batch and what they are.

        Args:
            inputs (Tensor): ``(N, 3, H, W)`` CLIP-normalised images.
            labels (Tensor): ``(N, H, W)`` region labels, ``ignore_index``
                outside every region.

        Returns:
            tuple[Tensor, Tensor]: ``(R, D)`` unit embeddings of the R
            regions and ``(R,)`` their labels.
        """
        embeds, targets = [], []
        for image, label in zip(inputs, labels):
            classes = label.unique()
            classes = classes[classes != self.ignore_index]
            if len(classes) == 0:
                continue
            masks = label[None] == classes[:, None, None]
            embeds.append(
                self.region_classifier.embed(self.teacher, image[None],
                                             masks[None])[0])
            targets.append(classes)
        if not embeds:
            return inputs.new_zeros(0, self.teacher.embed_dim), \
                labels.new_zeros(0)
        return torch.cat(embeds).to(inputs), torch.cat(targets).long()
