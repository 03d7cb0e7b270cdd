# COCO-Stuff-164k, 171 classes. Zero-shot split (SPNet / MaskCLIP+): unseen =
# cow, giraffe, suitcase, frisbee, skateboard, carrot, scissors, cardboard,
# clouds, grass, playing field, river, road, tree, concrete wall.
dataset_type = 'COCOStuffDataset'
data_root = 'data/coco_stuff164k'
# names: vlkd_seg/utils/class_names/coco_stuff171.txt
class_names = 'coco_stuff171'
unseen_idx = [19, 23, 28, 29, 36, 51, 76, 88, 94, 112, 133, 136, 137, 157, 160]
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
            img_path='images/train2017', seg_map_path='annotations/train2017'),
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=1,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_prefix=dict(
            img_path='images/val2017', seg_map_path='annotations/val2017'),
        pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(type='ZeroShotIoUMetric')
test_evaluator = val_evaluator
