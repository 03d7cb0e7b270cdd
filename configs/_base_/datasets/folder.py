# Your own dataset in mmseg's folder layout:
#   DATA_ROOT/img_dir/{train,val}/NAME.jpg
#   DATA_ROOT/ann_dir/{train,val}/NAME.png  (pixel = class index, 255 = ignore)
# A recipe gives every loader's dataset its data_root and metainfo (classes
# and the zero-shot split, unseen_idx), and its model the same class_names
# and unseen_idx (README "A new dataset").
dataset_type = 'BaseSegDataset'
missing_data_hint = ('put img_dir/{train,val} and ann_dir/{train,val} there '
                     '(README "A new dataset")')
crop_size = (512, 512)
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(
        type='RandomResize',
        scale=(2048, 512),
        ratio_range=(0.5, 2.0),
        keep_ratio=True),
    dict(type='RandomCrop', crop_size=crop_size, cat_max_ratio=0.75),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PhotoMetricDistortion'),
    dict(type='PackSegInputs')
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(2048, 512), keep_ratio=True),
    dict(type='LoadAnnotations'),
    dict(type='PackSegInputs')
]
_dataset = dict(type=dataset_type, img_suffix='.jpg', seg_map_suffix='.png')
train_dataloader = dict(
    batch_size=4,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        _dataset,
        data_prefix=dict(
            img_path='img_dir/train', seg_map_path='ann_dir/train'),
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=1,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        _dataset,
        data_prefix=dict(img_path='img_dir/val', seg_map_path='ann_dir/val'),
        pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(type='ZeroShotIoUMetric')
test_evaluator = val_evaluator
