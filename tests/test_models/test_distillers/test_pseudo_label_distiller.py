import copy

import pytest
import torch

from ._helpers import (LABELLERS, build_distiller, make_batch, student_cfg,
                       teacher_cfg)


def test_vocabulary_swap_changes_channels_not_weights(clip_configs, tmp_path):
    model = build_distiller(clip_configs, tmp_path)
    student_before = copy.deepcopy(model.student.state_dict())
    model.set_vocabulary(['cat', 'dog', 'horse'])
    inputs, _, samples = make_batch()
    model.eval()
    out = model.predict(inputs, samples)
    assert out[0].seg_logits.data.shape[0] == 3
    for key, value in model.student.state_dict().items():
        assert torch.equal(value, student_before[key]), key


def test_the_class_texts_live_in_one_tensor(clip_configs, tmp_path):
    """The vocabulary is the one owner: after a swap, exactly one tensor of
    the model (the averaged student included) holds the texts, and no class
    count is kept anywhere else."""
    labellers = [LABELLERS[0], dict(type='StudentLabeller', start=4, ema=0.9)]
    model = build_distiller(clip_configs, tmp_path, labellers=labellers)
    model.set_vocabulary(['cat', 'dog', 'horse'])
    text = model.teacher.encode_text(['cat', 'dog', 'horse'])
    holders = [
        name for name, t in list(model.named_buffers()) +
        list(model.named_parameters())
        if t.shape == text.shape and torch.allclose(t, text, atol=1e-6)
    ]
    assert holders == ['student.vocabulary.text']
    assert model.student.num_classes == 3
    assert model.student.decode_head.num_classes == 32  # the CLIP space


def test_checkpoints_leave_the_teacher_out_and_load_back(
        clip_configs, tmp_path):
    model = build_distiller(clip_configs, tmp_path)
    state = model.state_dict()
    assert not any(k.startswith('teacher.') for k in state)
    other = build_distiller(clip_configs, tmp_path)
    other.load_state_dict(state, strict=True)
    for key, value in state.items():
        assert torch.equal(other.state_dict()[key], value)


@pytest.mark.parametrize('kwargs, match', [
    (dict(labellers=[
        dict(type='TeacherLabeller', start=5),
        dict(type='StudentLabeller', start=5)
    ]), r'starts \[5, 5\] must be'),
    (dict(labellers=[dict(type='TeacherLabeller', start=-1)]),
     r'starts \[-1\] must be'),
    (dict(labellers=[dict(type='StudentLabeller', start=4, ema=1.)]),
     r'ema must lie in \[0, 1\)'),
    (dict(student=student_cfg(embed_dim=16)), 'embeds into 16 dimensions'),
    (dict(student=student_cfg(text_head=False)),
     'make it a TextEncoderDecoder'),
    (dict(losses=[dict(type='PooledDistillLoss', loss='nope')]),
     'unknown image distillation loss'),
    (dict(losses=[
        dict(type='PooledDistillLoss', loss='clip_classification_loss')
    ]), 'needs image labels'),
    (dict(unseen_idx=[7]), r'unseen_idx \[7\] outside'),
    (dict(unseen_idx=[2, 2]), r'unseen_idx \[2, 2\] outside .* or repeated'),
    (dict(unseen_idx=None), 'got no unseen_idx'),
    (dict(unseen_idx='some'), "must be class indices or 'all'"),
    (dict(class_names=None), 'got no class_names'),
    (dict(image_tags=True), 'image_tags=True needs background_idx'),
    (dict(background_idx=9), 'background_idx 9 is not a class'),
    (dict(confidence_thresh=1.5),
     r'confidence_thresh must be a number in \[0, 1\]'),
    (dict(teacher_normalization='imagenet'),
     "teacher_normalization must be 'clip' or 'student'"),
    (dict(labellers=[
        dict(type='TeacherLabeller', refiners=[dict(type='TeacherLabeller')])
    ]), 'is not a refiner'),
])
def test_bad_configurations_fail_at_build(clip_configs, tmp_path, kwargs,
                                          match):
    with pytest.raises(ValueError, match=match):
        build_distiller(clip_configs, tmp_path, **kwargs)


def test_averaged_student_and_swapped_vocabulary_load_from_a_checkpoint(
        clip_configs, tmp_path):
    labellers = [LABELLERS[0], dict(type='StudentLabeller', start=4, ema=0.99)]
    model = build_distiller(clip_configs, tmp_path, labellers=labellers)
    state = model.state_dict()
    assert any(k.startswith('labellers.1.averaged.') for k in state)
    other = build_distiller(
        clip_configs,
        tmp_path,
        labellers=labellers,
        class_names=['cat', 'dog', 'horse', 'cow', 'bird'])
    other.set_vocabulary(['cat', 'dog'])
    other.load_state_dict(state, strict=True)
    assert other.text.shape[0] == 2


def test_a_teacher_option_that_became_a_refiner_is_refused(
        clip_configs, tmp_path):
    teacher = teacher_cfg(clip_configs, tmp_path, prompt_denoising_thresh=0.5)
    with pytest.raises(TypeError, match='prompt_denoising_thresh'):
        build_distiller(clip_configs, tmp_path, teacher=teacher)


def test_training_without_the_iteration_says_which_hook(
        clip_configs, tmp_path):
    model = build_distiller(clip_configs, tmp_path)
    inputs, _, samples = make_batch()
    with pytest.raises(RuntimeError, match="dict\\(type='TrainIterHook'\\)"):
        model.loss(inputs, samples)
    # a distiller without labellers follows no schedule
    plain = build_distiller(clip_configs, tmp_path, labellers=[])
    assert 'decode.loss_ce' in plain.loss(inputs, samples)


def test_the_teacher_sees_clip_or_the_students_statistics(
        clip_configs, tmp_path):
    """'clip': the crop in CLIP's mean / std; 'student': the student's
    preprocessed crop as it is (the MaskCLIP+ release)."""
    from vlkd_seg.utils.clip_input import clip_normalize, to_pixels
    clip = build_distiller(clip_configs, tmp_path)
    release = build_distiller(
        clip_configs, tmp_path, teacher_normalization='student')
    inputs = torch.randn(1, 3, 32, 32)
    torch.testing.assert_close(release.teacher_view(inputs), inputs)
    torch.testing.assert_close(
        clip.teacher_view(inputs),
        clip_normalize(to_pixels(clip.data_preprocessor, inputs)))
