import copy

import pytest
import torch

from ._helpers import build_distiller, make_batch, student_cfg


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
    the model (EMA copy included) holds the texts, and no class count is
    kept anywhere else."""
    model = build_distiller(clip_configs, tmp_path, self_train_ema=0.9)
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
    (dict(teacher_start=5, self_train_start=5), r'b=5\) must come after'),
    (dict(teacher_start=5, self_train_start=3), r'b=3\) must come after'),
    (dict(student=student_cfg(embed_dim=16)), 'embeds into 16 dimensions'),
    (dict(student=student_cfg(text_head=False)), 'make it a TextEncoderDecoder'),
    (dict(image_distill=dict(loss='nope')), 'unknown image distillation loss'),
    (dict(image_distill=dict(loss='clip_classification_loss')),
     'needs image labels'),
    (dict(unseen_idx=[7]), r'unseen_idx \[7\] outside'),
])
def test_bad_configurations_fail_at_build(clip_configs, tmp_path, kwargs,
                                          match):
    with pytest.raises(ValueError, match=match):
        build_distiller(clip_configs, tmp_path, **kwargs)


def test_ema_and_swapped_vocabulary_load_from_a_checkpoint(
        clip_configs, tmp_path):
    model = build_distiller(clip_configs, tmp_path, self_train_ema=0.99)
    state = model.state_dict()
    assert any(k.startswith('ema_student.') for k in state)
    other = build_distiller(
        clip_configs,
        tmp_path,
        self_train_ema=0.99,
        class_names=['cat', 'dog', 'horse', 'cow', 'bird'])
    other.set_vocabulary(['cat', 'dog'])
    other.load_state_dict(state, strict=True)
    assert other.text.shape[0] == 2


def test_refinement_without_teacher_labels_is_refused(clip_configs, tmp_path):
    teacher = dict(
        type='CLIPTeacher',
        model_name=clip_configs['rn'],
        templates='single',
        text_cache_dir=str(tmp_path / 'cache'),
        prompt_denoising_thresh=0.5)
    with pytest.raises(ValueError, match='never takes labels from it'):
        build_distiller(
            clip_configs,
            tmp_path,
            teacher=teacher,
            teacher_start=None,
            self_train_start=None)
