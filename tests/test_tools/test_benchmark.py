import torch

from ..conftest import load_tool


def test_classify_benchmark_variants_run_on_a_tiny_teacher(clip_configs):
    bench = load_tool('benchmark')
    steps = bench._classify_steps(clip_configs['rn'], size=32, batch=4)
    assert set(steps) == {'student', 'cached', 'teacher'}
    feats = steps['teacher']()
    assert feats.shape == (4, 32)
    assert torch.allclose(feats.norm(dim=-1), torch.ones(4), atol=1e-5)
    for name in ('student', 'cached'):
        steps[name]()
