import pytest
import torch
from mmengine.registry import init_default_scope
from mmseg.registry import MODELS

from vlkd_seg.utils import UserError


def _head(**kwargs):
    init_default_scope('mmseg')
    torch.manual_seed(0)
    cfg = dict(
        type='ZegCLIPHead',
        in_channels=32,
        num_layers=1,
        num_heads=4,
        ffn_channels=64,
        loss_decode=dict(type='MaskFocalLoss'))
    return MODELS.build(dict(cfg, **kwargs)).eval()


def test_class_queries_are_the_relationship_descriptor():
    head = _head()
    text, image = torch.randn(5, 32), torch.randn(2, 32)
    queries = head.class_queries(text, image)
    for n in range(2):
        expected = head.query_proj(torch.cat([text * image[n], text], -1))
        torch.testing.assert_close(queries[n], expected)


def test_masks_are_the_head_averaged_query_key_logits():
    head = _head()
    patches, image = torch.randn(2, 32, 3, 5), torch.randn(2, 32)
    text = torch.randn(7, 32)
    masks = head.forward([patches, image, text])
    assert masks.shape == (2, 7, 3, 5)
    layer = head.layers[0]
    q = layer.q(head.class_queries(text, image))
    k = layer.k(patches.flatten(2).transpose(1, 2))
    # mean over 4 heads of q_h . k_h / sqrt(8) = q . k / (4 sqrt(8))
    expected = q @ k.transpose(1, 2) / (4 * 8**0.5)
    torch.testing.assert_close(masks.flatten(2), expected)


def test_any_number_of_texts_and_a_mismatch_is_an_error():
    head = _head(num_layers=3)
    patches, image = torch.randn(1, 32, 4, 4), torch.randn(1, 32)
    for k in (1, 3, 11):
        assert head.forward([patches, image, torch.randn(k, 32)]).shape[1] == k
    with pytest.raises(UserError, match='texts of shape'):
        head.forward([patches, image, torch.randn(3, 16)])


@pytest.mark.parametrize('kwargs, match', [
    (dict(num_heads=5), 'divisible by num_heads 5'),
    (dict(num_layers=0), 'num_layers must be an integer >= 1'),
    (dict(attn_dropout=-0.1), r'attn_dropout must be a number in \[0, 1\]'),
])
def test_bad_options_are_clear_errors(kwargs, match):
    with pytest.raises(UserError, match=match):
        _head(**kwargs)
