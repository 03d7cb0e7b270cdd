# ADE20K (SceneParsing), 150 classes. No published MaskCLIP+ split: vlkd_seg
# fixes one by the rule 'class index i is unseen iff i % 10 == 9' (15 of 150,
# things and stuff alike): grass, chair, field, cushion, fireplace, stairway,
# bench, hovel, television receiver, buffet, swimming pool, ball, dishwasher,
# fan, flag. Do not change it: results are only comparable on one split.
dataset_type = 'ADE20KDataset'
data_root = 'data/ade/ADEChallengeData2016'
class_names = 'ade150'  # vlkd_seg/utils/class_names/ade150.txt
unseen_idx = [9, 19, 29, 39, 49, 59, 69, 79, 89, 99, 109, 119, 129, 139, 149]
crop_size = (512, 512)
_load = [dict(type='LoadImageFromFile'), dict(type='LoadAnnotations')]
_augment = [
    dict(type='RandomResize', scale=(2048, 512), ratio_range=(0.5, 2.0),
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
    dict(type='Resize', scale=(2048, 512), keep_ratio=True),
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
            img_path='images/training', seg_map_path='annotations/training'),
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=1,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_prefix=dict(
            img_path='images/validation',
            seg_map_path='annotations/validation'),
        pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(type='ZeroShotIoUMetric')
test_evaluator = val_evaluator
