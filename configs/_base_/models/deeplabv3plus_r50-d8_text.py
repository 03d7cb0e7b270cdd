# DeepLabV3+ R50-D8 whose classifier is CLIP text embeddings (MaskCLIP+
# student): the head projects pixels into the CLIP space (num_classes =
# embed_dim), the TextEncoderDecoder scores them against the class texts.
# embed_dim must match the teacher: 512 for ViT-B/16, 1024 for RN50.
norm_cfg = dict(type='SyncBN', requires_grad=True)
data_preprocessor = dict(
    type='SegDataPreProcessor',
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    bgr_to_rgb=True,
    pad_val=0,
    seg_pad_val=255,
    size=(512, 512))
model = dict(
    type='TextEncoderDecoder',
    embed_dim=512,
    data_preprocessor=data_preprocessor,
    backbone=dict(
        type='ResNetV1c',
        # ImageNet weights from a local file (nothing is downloaded): save
        # mmseg's open-mmlab://resnet50_v1c as this file
        init_cfg=dict(
            type='Pretrained', checkpoint='checkpoints/resnet50_v1c.pth'),
        depth=50,
        num_stages=4,
        out_indices=(0, 1, 2, 3),
        dilations=(1, 1, 2, 4),
        strides=(1, 2, 1, 1),
        norm_cfg=norm_cfg,
        norm_eval=False,
        style='pytorch',
        contract_dilation=True),
    decode_head=dict(
        type='DepthwiseSeparableASPPHead',
        in_channels=2048,
        in_index=3,
        channels=512,
        dilations=(1, 12, 24, 36),
        c1_in_channels=256,
        c1_channels=48,
        dropout_ratio=0.1,
        num_classes=512,  # = embed_dim: conv_seg projects into CLIP space
        norm_cfg=norm_cfg,
        align_corners=False,
        loss_decode=dict(
            type='CrossEntropyLoss', use_sigmoid=False, loss_weight=1.0)),
    train_cfg=dict(),
    test_cfg=dict(mode='whole'))
