# DeepLabV2-style student (MaskCLIP+'s): ResNet-101 with an ASPP of four
# dilated 3x3 branches (6/12/18/24), classifier = CLIP text embeddings.
_base_ = './deeplabv3plus_r50-d8_text.py'
model = dict(
    backbone=dict(
        depth=101,
        init_cfg=dict(
            type='Pretrained', checkpoint='checkpoints/resnet101_v1c.pth')),
    decode_head=dict(
        head=dict(
            _delete_=True,
            type='ASPPHead',
            in_channels=2048,
            in_index=3,
            channels=512,
            dilations=(6, 12, 18, 24),
            dropout_ratio=0.1,
            num_classes=150,
            norm_cfg={{_base_.norm_cfg}},
            align_corners=False,
            loss_decode=dict(
                type='CrossEntropyLoss', use_sigmoid=False,
                loss_weight=1.0))))
