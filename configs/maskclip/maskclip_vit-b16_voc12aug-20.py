_base_ = [
    '../_base_/models/maskclip_vit-b16.py',
    '../_base_/datasets/pascal_voc12_aug.py', '../_base_/default_runtime.py',
    '../_base_/schedules/test_only.py'
]
model = dict(class_names={{_base_.class_names}})
train_dataloader = None  # training-free: evaluate only
