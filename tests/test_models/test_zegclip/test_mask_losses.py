"""ZegCLIP's mask losses on a case small enough to write out by hand."""
import math

import pytest
import torch

from vlkd_seg.models.losses import MaskDiceLoss, MaskFocalLoss
from vlkd_seg.utils import UserError

# one image, 2 classes, 3 pixels: class 0, class 1 and one ignored pixel
LOGITS = torch.tensor([[2., -1., 0.], [-2., 1., 0.5]]).reshape(1, 2, 1, 3)
LABEL = torch.tensor([[[0, 1, 255]]])


def _sigmoid(x):
    return 1 / (1 + math.exp(-x))


def test_focal_loss_is_the_release_formula():
    targets = [[1, 0, 0], [0, 1, 0]]  # the ignored pixel: negative
    total = 0.
    for c in range(2):
        per_pixel = []
        for i in range(3):
            x, t = float(LOGITS[0, c, 0, i]), targets[c][i]
            p = _sigmoid(x)
            p_t = p if t else 1 - p
            alpha_t = 0.25 if t else 0.75
            per_pixel.append(-alpha_t * (1 - p_t)**2 * math.log(p_t))
        total += sum(per_pixel) / 3
    expected = 100 * total / 2  # two (image, class) pairs present
    loss = MaskFocalLoss()(LOGITS, LABEL)
    assert loss.item() == pytest.approx(expected, rel=1e-5)


def test_dice_loss_is_the_release_formula():
    expected = 0.
    for c, target in enumerate(([1, 0, 0], [0, 1, 0])):
        p = [_sigmoid(float(v)) for v in LOGITS[0, c, 0]]
        inter = sum(pi * ti for pi, ti in zip(p, target))
        expected += 1 - (2 * inter + 1) / (sum(p) + sum(target) + 1)
    loss = MaskDiceLoss()(LOGITS, LABEL)
    assert loss.item() == pytest.approx(expected / 2, rel=1e-5)


def test_absent_classes_add_no_dice_and_labels_must_fit():
    label = torch.tensor([[[0, 0, 255]]])  # class 1 absent
    p = [_sigmoid(float(v)) for v in LOGITS[0, 0, 0]]
    expected = 1 - (2 * (p[0] + p[1]) + 1) / (sum(p) + 2 + 1)
    assert MaskDiceLoss()(LOGITS, label).item() == pytest.approx(
        expected, rel=1e-5)
    with pytest.raises(UserError, match='label 2 is outside the 2 classes'):
        MaskFocalLoss()(LOGITS, torch.tensor([[[0, 2, 255]]]))
