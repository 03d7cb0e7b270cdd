# Pascal VOC 2012 + SBD aug, 20 classes without background (10,582 train /
# 1,449 val images; build SegmentationClassAug and aug.txt with mmseg's
# tools/dataset_converters/voc_aug.py). Zero-shot split (ZS3/SPNet/MaskCLIP+):
# unseen = potted plant, sheep, sofa, train, tv monitor.
dataset_type = 'PascalVOC20Dataset'
data_root = 'data/VOCdevkit/VOC2012'
class_names = 'voc20'  # vlkd_seg/utils/class_names/voc20.txt
unseen_idx = [15, 16, 17, 18, 19]
# the split travels with the data: ZeroShotIoUMetric reads it from
# dataset_meta; recipes hand class_names / unseen_idx to their model
metainfo = dict(unseen_idx=unseen_idx)
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
train_dataloader = dict(
    batch_size=4,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        metainfo=metainfo,
        data_prefix=dict(
            img_path='JPEGImages', seg_map_path='SegmentationClassAug'),
        # train + aug = 1,464 + 9,118 = 10,582 images, each once
        ann_file='ImageSets/Segmentation/train.txt',
        extra_ann_files=['ImageSets/Segmentation/aug.txt'],
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=1,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        metainfo=metainfo,
        data_prefix=dict(
            img_path='JPEGImages', seg_map_path='SegmentationClass'),
        ann_file='ImageSets/Segmentation/val.txt',
        pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(type='ZeroShotIoUMetric')
test_evaluator = val_evaluator
