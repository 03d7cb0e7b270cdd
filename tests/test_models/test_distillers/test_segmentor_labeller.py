"""SegmentorLabeller: a trained ZegCLIP labels the student's unseen pixels."""
import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmseg.registry import MODELS

from vlkd_seg.models.teachers.clip_checkpoint import create_clip
from vlkd_seg.utils import check_weight_files
from vlkd_seg.utils.errors import ConfigError, MissingFileError, SetupError
from ..test_zegclip._helpers import zegclip_cfg
from ._helpers import NAMES, UNSEEN, build_distiller, make_batch, teacher_cfg

ZEGCLIP_PREPROCESSOR = dict(
    type='SegDataPreProcessor',
    mean=[122.771, 116.746, 104.094],
    std=[68.501, 66.632, 70.323],
    bgr_to_rgb=True)


@pytest.fixture
def trained_zegclip(clip_configs, tmp_path):
    """A tiny ZegCLIP recipe on one CLIP file and a checkpoint of it whose
    head differs from a fresh build (the labels can only come from it)."""
    clip = tmp_path / 'clip.pt'
    torch.manual_seed(0)
    torch.save(create_clip(clip_configs['vit']).state_dict(), clip)
    model = zegclip_cfg(
        clip_configs, tmp_path, data_preprocessor=ZEGCLIP_PREPROCESSOR)
    for part in ('image_encoder', 'text_encoder'):
        model[part]['checkpoint'] = str(clip)
    config = tmp_path / 'zegclip.py'
    Config(dict(model=model)).dump(str(config))
    init_default_scope('mmseg')
    torch.manual_seed(1)
    zegclip = MODELS.build(model)
    with torch.no_grad():
        for p in zegclip.decode_head.parameters():
            p.add_(torch.randn_like(p))
    checkpoint = tmp_path / 'iter_2.pth'
    torch.save(dict(state_dict=zegclip.state_dict()), checkpoint)
    return str(config), str(checkpoint), zegclip


def _distiller(clip_configs, tmp_path, config, checkpoint):
    labeller = dict(
        type='SegmentorLabeller',
        config=config,
        checkpoint=checkpoint,
        start=0)
    model = build_distiller(
        clip_configs,
        tmp_path,
        teacher=teacher_cfg(clip_configs, tmp_path, arch='vit'),
        labellers=[labeller])
    model.set_train_iter(0)
    return model


def test_labels_are_the_trained_segmentors_scores_of_the_vocabulary(
        clip_configs, tmp_path, trained_zegclip):
    config, checkpoint, zegclip = trained_zegclip
    model = _distiller(clip_configs, tmp_path, config, checkpoint)
    model.init_weights()
    labeller = model.labellers[0]
    assert model.phase() == 'teacher' and model.self_train_start is None
    # the distiller's vocabulary, in its order, with ZegCLIP's weights
    assert labeller.segmentor.class_names == NAMES
    for key, value in zegclip.state_dict().items():
        assert torch.equal(labeller.segmentor.state_dict()[key], value), key
    inputs, labels, samples = make_batch()
    batch = model._label_batch(inputs, None, samples, False)
    zegclip.set_vocabulary(NAMES)
    zegclip.eval()
    x = (batch.pixels -
         zegclip.data_preprocessor.mean) / zegclip.data_preprocessor.std
    metas = [dict(img_shape=(64, 64), pad_shape=(64, 64))] * 2
    expected = zegclip.encode_decode(x, metas)[:, UNSEEN]
    assert torch.allclose(labeller(batch), expected, atol=1e-5)


def test_a_step_trains_the_student_on_its_labels_and_never_the_labeller(
        clip_configs, tmp_path, trained_zegclip):
    config, checkpoint, _ = trained_zegclip
    model = _distiller(clip_configs, tmp_path, config, checkpoint)
    model.init_weights()
    model.train()
    assert not model.labellers[0].segmentor.training
    assert not any(p.requires_grad for p in model.labellers.parameters())
    inputs, _, samples = make_batch()
    losses = model.loss(inputs, samples)
    assert losses['pseudo_frac'] > 0
    sum(v for k, v in losses.items() if 'loss' in k).backward()
    assert all(p.grad is None for p in model.labellers.parameters())


def test_the_labeller_stays_out_of_the_students_checkpoints(
        clip_configs, tmp_path, trained_zegclip):
    config, checkpoint, _ = trained_zegclip
    model = _distiller(clip_configs, tmp_path, config, checkpoint)
    state = model.state_dict()
    assert not [k for k in state if k.startswith('labellers.')]
    model.load_state_dict(state, strict=True)  # a resume fills them in


def test_labels_before_the_weights_are_loaded_are_refused(
        clip_configs, tmp_path, trained_zegclip):
    config, checkpoint, _ = trained_zegclip
    model = _distiller(clip_configs, tmp_path, config, checkpoint)
    inputs, _, samples = make_batch()
    with pytest.raises(SetupError, match='init_weights'):
        model.loss(inputs, samples)


def test_a_missing_checkpoint_says_to_train_the_segmentor_first(
        clip_configs, tmp_path, trained_zegclip):
    config, _, _ = trained_zegclip
    missing = str(tmp_path / 'nowhere' / 'iter_2.pth')
    model = _distiller(clip_configs, tmp_path, config, missing)
    with pytest.raises(MissingFileError, match='tools/train.py'):
        model.init_weights()
    cfg = Config(
        dict(
            model=dict(
                type='PseudoLabelDistiller',
                labellers=[
                    dict(
                        type='SegmentorLabeller',
                        config=config,
                        checkpoint=missing)
                ])))
    with pytest.raises(MissingFileError, match='checkpoint .*nowhere'):
        check_weight_files(cfg)


def test_a_segmentor_without_a_vocabulary_is_refused(clip_configs, tmp_path):
    from ._helpers import student_cfg
    config = tmp_path / 'fcn.py'
    Config(dict(model=student_cfg(text_head=False))).dump(str(config))
    with pytest.raises(ConfigError, match='fixed classifier'):
        _distiller(clip_configs, tmp_path, str(config), 'x.pth')
    with pytest.raises(ConfigError, match='checkpoint must be a file path'):
        _distiller(clip_configs, tmp_path, str(config), None)
