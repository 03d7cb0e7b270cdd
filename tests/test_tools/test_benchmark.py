import torch

from vlkd_seg.demo.benchmark_steps import (classify_steps, clipseg_steps,
                                           zegclip_steps)
from ..conftest import load_tool


def test_classify_benchmark_variants_run_on_a_tiny_teacher(clip_configs):
    steps = classify_steps(clip_configs['rn'], size=32, batch=4)
    assert set(steps) == {'student', 'cached', 'teacher'}
    feats = steps['teacher']()
    assert feats.shape == (4, 32)
    assert torch.allclose(feats.norm(dim=-1), torch.ones(4), atol=1e-5)
    for name in ('student', 'cached'):
        steps[name]()


def test_zegclip_benchmark_times_the_recipe_beside_the_maskclip_plus_student(
        clip_configs):
    steps = zegclip_steps(clip_configs['vit'], size=32, batch=2)
    assert set(steps) == {
        'zegclip_step', 'student_step', 'zegclip_infer', 'student_infer'
    }
    # VOC-20's vocabulary against COCO-Stuff's 171, at the input's size
    assert steps['zegclip_infer']().shape == (2, 20, 32, 32)
    assert steps['student_infer']().shape == (2, 171, 32, 32)
    steps['zegclip_step']()
    steps['student_step']()


def test_clipseg_benchmark_answers_1_and_20_prompts(clip_configs):
    steps = clipseg_steps(
        clip_configs['vit'], size=32, batch=2, extract_layers=(0, 1))
    assert steps['prompts_1']().shape == (2, 1, 32, 32)
    assert steps['prompts_20']().shape == (2, 20, 32, 32)
    one_by_one = torch.cat(steps['one_by_one_20'](), dim=1)
    assert torch.allclose(one_by_one, steps['prompts_20'](), atol=1e-5)


def test_every_benchmark_is_a_command():
    bench = load_tool('benchmark')
    for command in ('teacher', 'distill', 'classify', 'zegclip', 'clipseg',
                    'checkpoint'):
        args = bench.parse_args([command, '--device', 'cpu'])
        assert callable(args.func)


def test_the_checkpoint_benchmark_saves_with_and_without_the_random_state(
        clip_configs):
    from vlkd_seg.demo.benchmark_steps import checkpoint_steps
    steps, sizes = checkpoint_steps(clip_configs['rn'], size=32)
    assert sizes['plain'] < sizes['random_state'] < sizes['plain'] + 50_000
    assert steps['plain']() == sizes['plain']
