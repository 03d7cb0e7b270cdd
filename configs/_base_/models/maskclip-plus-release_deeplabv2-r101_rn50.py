# The MaskCLIP+ release's model (chongzhou96/MaskCLIP, configs/_base_/models/
# maskclip_plus_r50.py): a frozen CLIP RN50 teacher; a ResNetV1c-101-d8
# student (ImageNet init) with a DeepLabV2 head (four dilated 3x3 branches,
# summed, 1024 channels = RN50's text dimension, no dropout) whose
# classifier is the raw dot product of its features with the text
# embeddings (no projection, normalisation or temperature). Self-training
# labels come from the same dropout-free student. Recipes set the
# vocabulary, the unseen classes and the schedule from a dataset base.
_base_ = ['./clip_rn50_teacher.py']
norm_cfg = dict(type='SyncBN', requires_grad=True)
data_preprocessor = dict(
    type='SegDataPreProcessor',
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    bgr_to_rgb=True,
    pad_val=0,
    seg_pad_val=255,
    size=(512, 512))
embed_dim = 1024  # RN50's text dimension (512 for ViT-B/16)
student = dict(
    type='EncoderDecoder',
    backbone=dict(
        type='ResNetV1c',
        # ImageNet weights from a local file (nothing is downloaded): save
        # mmseg's open-mmlab://resnet101_v1c as this file
        init_cfg=dict(
            type='Pretrained', checkpoint='checkpoints/resnet101_v1c.pth'),
        depth=101,
        num_stages=4,
        out_indices=(0, 1, 2, 3),
        dilations=(1, 1, 2, 4),
        strides=(1, 2, 1, 1),
        norm_cfg=norm_cfg,
        norm_eval=False,
        style='pytorch',
        contract_dilation=True),
    decode_head=dict(
        type='TextClassifierHead',
        embed_dim=embed_dim,
        mode='dot',
        head=dict(
            type='DeepLabV2Head',
            in_channels=2048,
            in_index=3,
            channels=embed_dim,
            dilations=(6, 12, 18, 24),
            dropout_ratio=0.,
            num_classes=20,  # replaced by the vocabulary size
            norm_cfg=norm_cfg,
            align_corners=False,
            loss_decode=dict(
                type='CrossEntropyLoss', use_sigmoid=False,
                loss_weight=1.0))),
    train_cfg=dict(),
    test_cfg=dict(mode='whole'))
model = dict(
    type='PseudoLabelDistiller',
    data_preprocessor=data_preprocessor,
    student=student,
    teacher={{_base_.teacher}},
    class_names=None,
    unseen_idx=None,
    teacher_start=0,
    self_train_start=None)
