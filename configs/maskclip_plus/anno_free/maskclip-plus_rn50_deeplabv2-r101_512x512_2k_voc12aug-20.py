# Reproduces annotation-free MaskCLIP+ on Pascal VOC-20 (release README:
# 58.0 mIoU): release config
# anno_free/maskclip_plus_r50_deeplabv2_r101-d8_512x512_2k_voc12aug_20.py.
# No pixel label is used: CLIP RN50 labels every pixel for the whole
# 2k-iteration run (no self-training).
_base_ = [
    '../../_base_/models/maskclip-plus-release_deeplabv2-r101_rn50.py',
    '../../_base_/datasets/pascal_voc12_aug.py',
    '../../_base_/default_runtime.py', '../../_base_/schedules/schedule_2k.py'
]
model = dict(class_names='voc20_maskclip', unseen_idx='all')
train_dataloader = dict(batch_size=4)
