# Reproduces annotation-free MaskCLIP+ ViT-B/16 on Pascal Context-59 (paper
# and release README: 31.1 mIoU): release config
# anno_free/maskclip_plus_vit16_deeplabv2_r101-d8_480x480_4k_pascal_context_59.py.
# No pixel label is used: CLIP ViT-B/16 labels every pixel for the whole
# 4k-iteration run (no self-training); background is ignored (Context-59).
_base_ = [
    '../../_base_/models/maskclip-plus-release_deeplabv2-r101_rn50.py',
    '../../_base_/datasets/pascal_context_59.py',
    '../../_base_/default_runtime.py', '../../_base_/schedules/schedule_4k.py'
]
model = dict(
    data_preprocessor=dict(size={{_base_.crop_size}}),
    teacher=dict(model_name='ViT-B-16', checkpoint='checkpoints/ViT-B-16.pt'),
    student=dict(
        embed_dim=512, decode_head=dict(channels=512, num_classes=512)),
    class_names='context59_maskclip',
    unseen_idx='all')
train_dataloader = dict(batch_size=4)
