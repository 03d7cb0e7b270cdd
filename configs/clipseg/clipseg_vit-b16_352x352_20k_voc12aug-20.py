# CLIPSeg's decoder trained on VOC-20's 15 seen classes (the names as
# prompts, BCE of each class's mask, the 5 unseen classes never prompted
# and their pixels ignored), evaluated on all 20 in the semantic mode.
# The release's zero-shot model trains on PhraseCut+ with the unseen VOC
# classes removed (experiments/pascal_0shot.yaml); its optimisation is
# kept: AdamW 1e-3, cosine to 1e-4 over 20k iterations, batch 64 (16 x 4
# GPUs: tools/dist_train.sh CONFIG 4 --amp, mixed precision as the
# release), 352 px.
_base_ = [
    '../_base_/models/clipseg_vit-b16.py',
    '../_base_/datasets/pascal_voc12_aug.py', '../_base_/default_runtime.py',
    '../_base_/schedules/clipseg_20k.py'
]
model = dict(
    class_names={{_base_.class_names}}, unseen_idx={{_base_.unseen_idx}})
crop_size = (352, 352)
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(
        type='RandomResize',
        scale=(1408, 352),
        ratio_range=(0.5, 2.0),
        keep_ratio=True),
    dict(type='RandomCrop', crop_size=crop_size, cat_max_ratio=0.75),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PackSegInputs')
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(1408, 352), keep_ratio=True),
    dict(type='LoadAnnotations'),
    dict(type='PackSegInputs')
]
train_dataloader = dict(batch_size=16, dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = val_dataloader
