# The embedded synthetic world (vlkd_seg/datasets/world_scenes.py).
# Generate it with `python tools/generate_world.py` (the demo does it).
dataset_type = 'SyntheticWorldDataset'
data_root = '{{$VLKD_CACHE:~/.cache/vlkd_seg}}/synthetic_world'
# said by the pre-flight check when data_root is missing
missing_data_hint = 'generate it with `python tools/generate_world.py`'
class_names = 'synthetic_world'
# zero-shot split of the embedded world: square, ring and diamond are unseen
# (background is a seen class); it travels with the data (the metric reads
# it from dataset_meta) and recipes hand it to their model
unseen_idx = [2, 4, 7]
metainfo = dict(unseen_idx=unseen_idx)
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PackSegInputs')
]
# image-level labels (CLIP-ES): only the set of classes of each scene is
# kept (img_tags); every pixel is unlabeled
image_tag_train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='ImageTags'),
    dict(type='RandomFlip', prob=0.5),
    dict(
        type='PackSegInputs',
        meta_keys=('img_path', 'seg_map_path', 'ori_shape', 'img_shape',
                   'pad_shape', 'scale_factor', 'flip', 'flip_direction',
                   'reduce_zero_label', 'img_tags'))
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='PackSegInputs'),
]
# the 64 px scenes load in the main process: worker processes would cost
# more to start and stop (seconds each, per run) than they save
train_dataloader = dict(
    batch_size=8,
    num_workers=0,
    persistent_workers=False,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        metainfo=metainfo,
        data_prefix=dict(
            img_path='img_dir/train', seg_map_path='ann_dir/train'),
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=8,
    num_workers=0,
    persistent_workers=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        metainfo=metainfo,
        data_prefix=dict(img_path='img_dir/val', seg_map_path='ann_dir/val'),
        pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(type='ZeroShotIoUMetric')
test_evaluator = val_evaluator
