# MaskCLIP+'s DeepLabV2 student, as released: ResNetV1c-101-d8 (ImageNet
# init) with a DeepLabV2 head (four dilated 3x3 branches 6/12/18/24,
# summed; no dropout) whose channels are the CLIP text dimension (1024 for
# RN50, 512 for ViT-B/16) and whose classifier is the raw dot product of
# those features with the text embeddings (mode='dot': the head's conv_seg
# is a fixed identity).
_base_ = './deeplabv3plus_r50-d8_text.py'
embed_dim = 1024
model = dict(
    embed_dim=embed_dim,
    classifier=dict(mode='dot'),
    backbone=dict(
        depth=101,
        init_cfg=dict(
            type='Pretrained', checkpoint='checkpoints/resnet101_v1c.pth')),
    decode_head=dict(
        _delete_=True,
        type='DeepLabV2Head',
        in_channels=2048,
        in_index=3,
        channels=embed_dim,
        dilations=(6, 12, 18, 24),
        dropout_ratio=0.,
        num_classes=embed_dim,  # the CLIP space (identity in 'dot' mode)
        norm_cfg={{_base_.norm_cfg}},
        align_corners=False,
        loss_decode=dict(
            type='CrossEntropyLoss', use_sigmoid=False, loss_weight=1.0)))
