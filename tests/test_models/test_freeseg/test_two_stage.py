"""FreeSeg's ensemble and semantic inference are their formulas."""
import pytest
import torch

from vlkd_seg.models.segmentors.two_stage import (geometric_ensemble,
                                                  semantic_scores)
from vlkd_seg.utils import ConfigError


def test_the_ensemble_trusts_the_queries_on_seen_and_clip_on_unseen():
    torch.manual_seed(0)
    p_query = torch.rand(2, 5, 4).softmax(-1)
    p_clip = torch.rand(2, 5, 4).softmax(-1)
    seen = torch.tensor([True, False, True, False])
    w = 0.8
    out = geometric_ensemble(p_query, p_clip, seen, w)
    for k in range(4):
        a, b = (w, 1 - w) if seen[k] else (1 - w, w)
        expected = p_query[..., k]**a * p_clip[..., k]**b
        torch.testing.assert_close(out[..., k], expected)
    # w = 1: the query classifier alone on seen classes, CLIP alone on unseen
    out = geometric_ensemble(p_query, p_clip, seen, 1.)
    torch.testing.assert_close(out[..., seen], p_query[..., seen])
    torch.testing.assert_close(out[..., ~seen], p_clip[..., ~seen])
    with pytest.raises(ConfigError, match=r'in \[0, 1\]'):
        geometric_ensemble(p_query, p_clip, seen, 1.5)


def test_semantic_scores_weigh_each_mask_by_its_class_scores():
    torch.manual_seed(0)
    scores = torch.rand(1, 3, 2)
    masks = torch.randn(1, 3, 4, 5)
    out = semantic_scores(scores, masks)
    expected = sum(scores[0, q, :, None, None] * masks[0, q].sigmoid()
                   for q in range(3))
    torch.testing.assert_close(out[0], expected)
