# Pascal VOC 2012 + SBD aug with background, 21 classes (10,582 train /
# 1,449 val images; build SegmentationClassAug and aug.txt with mmseg's
# tools/dataset_converters/voc_aug.py): the weakly supervised benchmark.
dataset_type = 'PascalVOCAugDataset'
data_root = 'data/VOCdevkit/VOC2012'
class_names = 'voc21'  # vlkd_seg/utils/class_names/voc21.txt
unseen_idx = None
crop_size = (512, 512)
_load = [dict(type='LoadImageFromFile'), dict(type='LoadAnnotations')]
_resize_crop = [
    dict(
        type='RandomResize',
        scale=(2048, 512),
        ratio_range=(0.5, 2.0),
        keep_ratio=True),
    dict(type='RandomCrop', crop_size=crop_size),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PhotoMetricDistortion')
]
train_pipeline = _load + _resize_crop + [dict(type='PackSegInputs')]
# image-level labels: only each image's set of classes (img_tags, taken
# from its mask before any crop) reaches the model; every pixel unlabeled
image_tag_train_pipeline = _load + [dict(type='ImageTags')] + _resize_crop + [
    dict(
        type='PackSegInputs',
        meta_keys=('img_path', 'seg_map_path', 'ori_shape', 'img_shape',
                   'pad_shape', 'scale_factor', 'flip', 'flip_direction',
                   'reduce_zero_label', 'img_tags'))
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
        data_prefix=dict(
            img_path='JPEGImages', seg_map_path='SegmentationClassAug'),
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
        data_prefix=dict(
            img_path='JPEGImages', seg_map_path='SegmentationClass'),
        ann_file='ImageSets/Segmentation/val.txt',
        pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(type='IoUMetric', iou_metrics=['mIoU'])
test_evaluator = val_evaluator
