"""Attention affinity of CLIP towers and CLIP-ES's class-aware refinement."""
import pytest
import torch

from vlkd_seg.models import CLIPTeacher
from vlkd_seg.models.teachers.affinity import class_aware_refine


@pytest.mark.parametrize('kind, size, locations', [('vit', (32, 40), 20),
                                                   ('rn', (64, 96), 6)])
def test_affinity_is_an_attention_over_the_dense_locations(
        clip_configs, tmp_path, kind, size, locations):
    torch.manual_seed(0)
    teacher = CLIPTeacher(clip_configs[kind], text_cache_dir='')
    x = torch.randn(2, 3, *size)
    affinity = teacher.attention_affinity(x, layers=1)
    assert affinity.shape == (2, locations, locations)
    assert (affinity >= 0).all()
    rows = affinity.sum(-1)
    assert (rows <= 1 + 1e-5).all()
    if kind == 'rn':  # no class token to take a share
        torch.testing.assert_close(rows, torch.ones_like(rows))
    # one image's affinity does not depend on the other
    torch.testing.assert_close(
        teacher.attention_affinity(x[1:], layers=1), affinity[1:])


def test_more_vit_layers_than_blocks_is_refused(clip_configs):
    teacher = CLIPTeacher(clip_configs['vit'], text_cache_dir='')
    with pytest.raises(ValueError, match='last 99 blocks'):
        teacher.attention_affinity(torch.randn(1, 3, 32, 32), layers=99)


def _probs():
    """1x4 map, 3 classes: background, an object strong at locations 0-1,
    and a class absent from the image (zero everywhere)."""
    obj = torch.tensor([0.9, 0.8, 0.3, 0.1])
    return torch.stack([1 - obj, obj, torch.zeros(4)])[None, :, None, :]


def test_affinity_spreads_a_class_to_the_locations_that_attend_to_it():
    # location 2 attends to location 1 (the object), 3 to itself
    affinity = torch.eye(4)
    affinity[2] = torch.tensor([0., 1., 0., 0.])
    affinity = affinity + 0.01
    refined = class_aware_refine(_probs(), affinity[None])
    obj_before, obj_after = _probs()[0, 1, 0], refined[0, 1, 0]
    assert obj_after[2] > 0.5 > obj_before[2]
    assert obj_after[3] < 0.5


def test_refinement_leaves_the_class_set_unchanged():
    refined = class_aware_refine(_probs(), torch.rand(1, 4, 4))
    assert (refined[:, 2] == 0).all()
    torch.testing.assert_close(refined.sum(1), torch.ones(1, 1, 4))


def test_a_class_is_only_spread_from_inside_its_box():
    # the object is strong at location 0 only (box: location 0); location 3
    # is weakly object but outside the box, so attending to it brings none
    probs = torch.tensor([[1., 0., 0., 0.6], [0., 1., 1., 0.4]])
    probs = probs[None, :, None, :]
    affinity = torch.eye(4)[None]
    affinity[0, 1] = torch.tensor([0., 0., 0., 1.])  # 1 attends to 3
    boxed = class_aware_refine(probs, affinity + 1e-4, box_thresh=0.9)
    unboxed = class_aware_refine(probs, affinity + 1e-4, box_thresh=0.)
    assert boxed[0, 0, 0, 1] < unboxed[0, 0, 0, 1] / 2
    # with the box, location 1 stays with the object it is strong in
    assert boxed[0, 1, 0, 1] > 0.5


def test_a_wrong_affinity_shape_is_refused():
    with pytest.raises(ValueError, match='does not fit'):
        class_aware_refine(_probs(), torch.rand(1, 5, 5))
