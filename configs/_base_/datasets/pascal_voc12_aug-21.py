# Pascal VOC 2012 + SBD aug with background, 21 classes (10,582 train /
# 1,449 val images, the layout of pascal_voc12_aug.py): the weakly
# supervised benchmark. No zero-shot split: plain mIoU.
_base_ = './pascal_voc12_aug.py'
dataset_type = 'PascalVOCAugDataset'
class_names = 'voc21'  # vlkd_seg/utils/class_names/voc21.txt
_resize_crop = [
    dict(
        type='RandomResize',
        scale=(2048, 512),
        ratio_range=(0.5, 2.0),
        keep_ratio=True),
    dict(type='RandomCrop', crop_size={{_base_.crop_size}}),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PhotoMetricDistortion')
]
_load = [dict(type='LoadImageFromFile'), dict(type='LoadAnnotations')]
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
train_dataloader = dict(
    dataset=dict(type=dataset_type, metainfo=None, pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(type=dataset_type, metainfo=None))
test_dataloader = val_dataloader
val_evaluator = dict(type='IoUMetric', iou_metrics=['mIoU'], _delete_=True)
test_evaluator = val_evaluator
