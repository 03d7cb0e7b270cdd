_base_ = [
    '../_base_/models/maskclip-plus_deeplabv3plus-r50_vit-b16.py',
    '../_base_/datasets/pascal_context.py', '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_40k.py'
]
# Transductive zero-shot MaskCLIP+ on Pascal Context-60 (10 unseen classes).
model = dict(
    data_preprocessor=dict(size={{_base_.crop_size}}),
    self_train_start=4000)
train_dataloader = dict(
    dataset=dict(pipeline={{_base_.zero_shot_train_pipeline}}))
