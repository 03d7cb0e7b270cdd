"""Tiny students, distillers and batches shared by the distiller tests."""
import torch
from mmengine.config import ConfigDict
from mmengine.registry import init_default_scope
from mmengine.structures import PixelData
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample

import vlkd_seg.models  # noqa: F401 (registers the components built here)

NAMES = ['background', 'disc', 'square', 'triangle', 'ring']
UNSEEN = [2, 4]
#: teacher pseudo-labels from iteration 2, self-training from 4
LABELLERS = [
    dict(type='TeacherLabeller', start=2),
    dict(type='StudentLabeller', start=4)
]


def student_cfg(embed_dim=32, text_head=True):
    norm = dict(type='BN', requires_grad=True)
    head = dict(
        type='FCNHead',
        in_channels=32,
        in_index=0,
        channels=16,
        num_convs=1,
        concat_input=False,
        num_classes=embed_dim if text_head else len(NAMES),
        norm_cfg=norm,
        align_corners=False,
        dropout_ratio=0.0)
    return dict(
        type='TextEncoderDecoder' if text_head else 'EncoderDecoder',
        **(dict(embed_dim=embed_dim) if text_head else {}),
        backbone=dict(
            type='ResNetV1c',
            depth=18,
            stem_channels=8,
            base_channels=8,
            num_stages=3,
            out_indices=(2, ),
            strides=(1, 2, 2),
            dilations=(1, 1, 1),
            norm_cfg=norm),
        decode_head=head,
        test_cfg=dict(mode='whole'))


def teacher_cfg(clip_configs, tmp_path, arch='rn', **kwargs):
    return dict(
        type='CLIPTeacher',
        model_name=clip_configs[arch],
        templates='single',
        text_cache_dir=str(tmp_path / 'cache'),
        **kwargs)


def build_distiller(clip_configs, tmp_path, **kwargs):
    init_default_scope('mmseg')
    torch.manual_seed(0)
    cfg = dict(
        type='PseudoLabelDistiller',
        data_preprocessor=dict(
            type='SegDataPreProcessor',
            mean=[123.675, 116.28, 103.53],
            std=[58.395, 57.12, 57.375],
            size=(64, 64)),
        student=student_cfg(),
        teacher=teacher_cfg(clip_configs, tmp_path),
        class_names=NAMES,
        unseen_idx=UNSEEN,
        labellers=LABELLERS)
    cfg.update(kwargs)
    return MODELS.build(ConfigDict(cfg))


def make_batch(seed=0):
    """Inputs ``(2, 3, 64, 64)``, full ground truth ``(2, 1, 64, 64)``
    (the distiller hides the unseen classes itself) and samples."""
    g = torch.Generator().manual_seed(seed)
    inputs = torch.randn(2, 3, 64, 64, generator=g)
    labels = torch.randint(0, 5, (2, 1, 64, 64), generator=g)
    samples = []
    for label in labels:
        sample = SegDataSample(
            metainfo=dict(
                img_shape=(64, 64),
                pad_shape=(64, 64),
                ori_shape=(64, 64),
                padding_size=[0, 0, 0, 0]))
        sample.gt_sem_seg = PixelData(data=label.clone())
        samples.append(sample)
    return inputs, labels, samples


def merged_labels(model, inputs, samples, monkeypatch):
    """The labels the student's decode loss trains on in one step."""
    seen = []
    head = model.student.decode_head
    original = head.loss_by_feat
    monkeypatch.setattr(
        head, 'loss_by_feat',
        lambda logits, targets: seen.extend(targets) or original(
            logits, targets))
    model.loss(inputs, samples)
    return torch.stack([t.gt_sem_seg.data for t in seen])
