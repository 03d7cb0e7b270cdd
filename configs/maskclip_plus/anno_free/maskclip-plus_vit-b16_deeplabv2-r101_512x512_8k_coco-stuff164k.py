# Reproduces annotation-free MaskCLIP+ ViT-B/16 on COCO-Stuff-171 (paper
# and release README: 18.0 mIoU): release config
# anno_free/maskclip_plus_vit16_deeplabv2_r101-d8_512x512_8k_coco-stuff164k.py.
# No pixel label is used: CLIP ViT-B/16 labels every pixel for the whole
# 8k-iteration run (no self-training).
_base_ = [
    '../../_base_/models/maskclip-plus-release_deeplabv2-r101_rn50.py',
    '../../_base_/datasets/coco-stuff164k.py',
    '../../_base_/default_runtime.py', '../../_base_/schedules/schedule_8k.py'
]
model = dict(
    teacher=dict(model_name='ViT-B-16', checkpoint='checkpoints/ViT-B-16.pt'),
    student=dict(
        embed_dim=512, decode_head=dict(channels=512, num_classes=512)),
    class_names='coco_stuff171_maskclip',
    unseen_idx='all')
train_dataloader = dict(batch_size=4)
