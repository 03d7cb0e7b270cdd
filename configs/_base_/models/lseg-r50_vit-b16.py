# LSeg with a CLIP ViT-B/16 text encoder: a ResNet-50 student whose four
# feature levels LSegHead fuses into per-pixel CLIP embeddings; logits =
# exp(tau) * cos(pixel, text), refined by LSeg's spatial regularisation.
# No pseudo-labeller: the hidden (unseen) pixels are ignored and the
# teacher only provides the (frozen) text embeddings.
_base_ = ['./maskclip-plus_deeplabv3plus-r50_vit-b16.py']
model = dict(
    labellers=[],
    student=dict(
        backbone=dict(dilations=(1, 1, 1, 1), strides=(1, 2, 2, 2)),
        classifier=dict(regularization=dict(depth=1, kind='bottleneck')),
        decode_head=dict(
            _delete_=True,
            type='LSegHead',
            in_channels=[256, 512, 1024, 2048],
            in_index=[0, 1, 2, 3],
            channels=256,
            dropout_ratio=0.1,
            num_classes=512,  # = embed_dim: conv_seg projects into CLIP space
            norm_cfg=dict(type='SyncBN', requires_grad=True),
            align_corners=False,
            loss_decode=dict(
                type='CrossEntropyLoss', use_sigmoid=False, loss_weight=1.0))))
