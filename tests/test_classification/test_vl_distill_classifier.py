import pytest
import torch
from mmpretrain.structures import DataSample

from vlkd_seg.classification import (VLDistillClassifier,
                                     clip_classification_loss,
                                     load_class_split)


def _model(clip_configs, **kwargs):
    return VLDistillClassifier(
        backbone=dict(
            type='ResNet', depth=18, base_channels=8, stem_channels=8),
        teacher=dict(
            type='CLIPTeacher',
            model_name=clip_configs['rn'],
            templates='single',
            text_cache_dir=''),
        class_split='synthetic_world',
        in_channels=64,
        **kwargs)


def _samples(labels):
    return [
        DataSample(metainfo=dict(sample_idx=i)).set_gt_label(y)
        for i, y in enumerate(labels)
    ]


ALL_LOSSES = [
    dict(loss='clip_classification_loss'),
    dict(loss='feature_mse_loss'),
    dict(loss='image_contrastive_loss'),
    dict(loss='vl_proximal_loss', k=3)
]


def test_losses_train_the_student_and_never_the_teacher(clip_configs):
    torch.manual_seed(0)
    model = _model(clip_configs, losses=ALL_LOSSES)
    model.set_teacher_features('train', torch.randn(4, 32))
    losses = model.loss(torch.randn(4, 3, 32, 32), _samples([0, 2, 4, 5]))
    assert set(losses) == {
        'loss_cls', 'loss_mse', 'loss_im_cst', 'loss_vlprox'
    }
    sum(losses.values()).backward()
    assert model.proj.weight.grad.abs().sum() > 0
    assert model.backbone.conv1.weight.grad.abs().sum() > 0
    assert all(p.grad is None for p in model.teacher.parameters())


def test_classification_loss_is_against_the_id_texts(clip_configs):
    torch.manual_seed(0)
    model = _model(clip_configs)
    model.set_teacher_features('train', torch.randn(4, 32))
    inputs = torch.randn(4, 3, 32, 32)
    # world labels 0, 2, 4, 5 are the ID classes, rows 0..3 of the ID texts
    loss = model.loss(inputs, _samples([0, 2, 4, 5]))['loss_cls']
    with torch.no_grad():
        feats = model.extract_feat(inputs)
    id_text = model.text[[0, 2, 4, 5]]
    expected = clip_classification_loss(feats, id_text,
                                        torch.tensor([0, 1, 2, 3]))
    assert loss.item() == pytest.approx(expected.item(), rel=1e-5)


def test_few_shot_stage_scores_against_every_class_text(clip_configs):
    torch.manual_seed(0)
    model = _model(clip_configs, train_subset='all')
    model.set_teacher_features('train', torch.randn(4, 32))
    inputs = torch.randn(4, 3, 32, 32)
    # world labels 1 and 3 are OOD classes: with train_subset='all' they
    # are trained on, against the texts of all 8 classes
    loss = model.loss(inputs, _samples([0, 1, 3, 5]))['loss_cls']
    with torch.no_grad():
        feats = model.extract_feat(inputs)
    expected = clip_classification_loss(feats, model.text,
                                        torch.tensor([0, 1, 3, 5]))
    assert loss.item() == pytest.approx(expected.item(), rel=1e-5)


def test_training_on_ood_or_without_teacher_features_is_refused(clip_configs):
    model = _model(clip_configs)
    with pytest.raises(RuntimeError, match='TeacherFeatureHook'):
        model.loss(torch.randn(2, 3, 32, 32), _samples([0, 2]))
    model.set_teacher_features('train', torch.randn(2, 32))
    with pytest.raises(ValueError, match='OOD class'):
        model.loss(torch.randn(2, 3, 32, 32), _samples([0, 1]))
    with pytest.raises(ValueError, match='CLIP dimension 32'):
        model.set_teacher_features('train', torch.randn(2, 16))
    with pytest.raises(ValueError, match='at least one loss'):
        _model(clip_configs, losses=[])


def test_predictions_score_every_class_and_carry_teacher_fields(clip_configs):
    torch.manual_seed(0)
    model = _model(clip_configs).eval()
    inputs = torch.randn(3, 3, 32, 32)
    plain = model.predict(inputs)
    assert plain[0].pred_score.shape == (8, )
    assert plain[0].pred_score.sum().item() == pytest.approx(1, abs=1e-5)
    assert plain[0].text_sim.shape == (8, )
    assert 'teacher_feat' not in plain[0]
    teacher = torch.nn.functional.normalize(torch.randn(3, 32), dim=1)
    model.set_teacher_features('eval', teacher)
    out = model.predict(inputs, _samples([1, 3, 6]))
    assert torch.allclose(out[2].teacher_feat, teacher[2])
    assert torch.allclose(out[2].teacher_text_sim, teacher[2] @ model.text.T)
    assert int(out[0].pred_label) == int(out[0].text_sim.argmax())


def test_checkpoints_leave_the_teacher_out_and_load_back(clip_configs):
    model = _model(clip_configs)
    state = model.state_dict()
    assert state and not any(k.startswith('teacher.') for k in state)
    assert 'text' not in state  # the text bank is rebuilt from the split
    other = _model(clip_configs)
    other.load_state_dict(state, strict=True)
    assert torch.equal(other.proj.weight, model.proj.weight)


def test_enriched_labels_add_the_description_to_each_prompt(clip_configs):
    enriched = _model(clip_configs, enriched_labels=True)
    split = load_class_split('synthetic_world')
    expected = enriched.teacher.encode_text(
        split.names, descriptions=split.descriptions)
    assert torch.allclose(enriched.text, expected)
    assert not torch.allclose(enriched.text,
                              enriched.teacher.encode_text(split.names))
