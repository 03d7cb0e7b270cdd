# Pascal Context-60 (59 classes + background). Zero-shot split (ZS3 /
# MaskCLIP+): unseen = cow, motorbike, sofa, cat, boat, fence, bird,
# tv monitor, keyboard, aeroplane.
dataset_type = 'PascalContextDataset'
data_root = 'data/VOCdevkit/VOC2010/'
class_names = 'context60'  # vlkd_seg/utils/class_names/context60.txt
unseen_idx = [20, 34, 49, 15, 8, 25, 7, 55, 32, 1]
crop_size = (480, 480)
_load = [dict(type='LoadImageFromFile'), dict(type='LoadAnnotations')]
_augment = [
    dict(type='RandomResize', scale=(520, 520), ratio_range=(0.5, 2.0),
         keep_ratio=True),
    dict(type='RandomCrop', crop_size=crop_size, cat_max_ratio=0.75),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PhotoMetricDistortion'),
    dict(type='PackSegInputs')
]
# three label settings; pick one in a recipe with
# train_dataloader = dict(dataset=dict(pipeline={{_base_.<name>}}))
train_pipeline = _load + _augment  # fully supervised
zero_shot_train_pipeline = _load + [
    dict(type='ZeroShotLabels')] + _augment
annotation_free_train_pipeline = _load + [
    dict(type='ZeroShotLabels', unseen_idx='all')] + _augment
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(520, 520), keep_ratio=True),
    dict(type='LoadAnnotations'),
    dict(type='PackSegInputs')
]
train_dataloader = dict(
    batch_size=4,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        data_prefix=dict(
            img_path='JPEGImages', seg_map_path='SegmentationClassContext'),
        ann_file='ImageSets/SegmentationContext/train.txt',
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=1,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_prefix=dict(
            img_path='JPEGImages', seg_map_path='SegmentationClassContext'),
        ann_file='ImageSets/SegmentationContext/val.txt',
        pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(type='ZeroShotIoUMetric')
test_evaluator = val_evaluator
