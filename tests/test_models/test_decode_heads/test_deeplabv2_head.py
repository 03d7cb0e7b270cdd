import torch
from mmengine.registry import init_default_scope
from mmseg.registry import MODELS


def test_logits_classify_the_sum_of_the_dilated_branches():
    init_default_scope('mmseg')
    head = MODELS.build(
        dict(
            type='DeepLabV2Head',
            in_channels=8,
            channels=6,
            num_classes=3,
            dilations=(1, 2, 3),
            dropout_ratio=0.)).eval()
    x = torch.randn(2, 8, 9, 9)
    branches = [branch(x) for branch in head.branches]
    assert [b.conv.dilation[0] for b in head.branches] == [1, 2, 3]
    assert head.branches[0].conv.kernel_size == (1, 1)
    assert all(b.shape == (2, 6, 9, 9) for b in branches)
    expected = head.conv_seg(branches[0] + branches[1] + branches[2])
    torch.testing.assert_close(head([x]), expected)
