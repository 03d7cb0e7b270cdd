# ADE20K-150, COCO-Stuff-171 and PASCAL-Context-59 trained as one dataset
# (SSIW): UnifiedDataset maps each into the 253 unified classes of
# vlkd_seg/utils/class_names/ade150_coco171_context59.txt (their union,
# the synonyms below merged: each group is one class, named by its first).
# Each dataset is matched by its readable names (the packaged vocabularies:
# mmseg's 'building-other' is 'building'); the pixels it leaves unlabelled
# (255: ADE's and Context's reduced class 0, COCO-Stuff's unlabelled) are
# silent: they may be any class it does not annotate. Folders are mmseg's.
# Validation: ADE20K's val, scored in its own classes (LabelSpaceIoUMetric:
# a unified class ADE lacks is a miss there); other datasets with
# tools/cross_dataset_test.py.
unified_classes = 'ade150_coco171_context59'
synonyms = [
    ['airplane', 'aeroplane'],
    ['motorcycle', 'motorbike'],
    ['television receiver', 'tv', 'tv monitor'],
    ['sofa', 'couch'],
    ['shelf', 'shelves'],
    ['windowpane', 'window'],
    ['signboard', 'sign'],
    ['sidewalk', 'pavement'],
    ['blind', 'window blind'],
    ['earth', 'ground'],
    ['railroad', 'track'],
    ['apparel', 'clothes'],
    ['blanket', 'bedclothes'],
    ['ball', 'sports ball'],
    ['bag', 'handbag'],
    ['computer', 'laptop'],
]
crop_size = (512, 512)

# mmseg's ADE20K / COCO-Stuff train pipeline; ADE and Context reduce class 0
coco_train_pipeline = [
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
reduced_train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations', reduce_zero_label=True)
] + coco_train_pipeline[2:]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(2048, 512), keep_ratio=True),
    dict(type='LoadAnnotations', reduce_zero_label=True),
    dict(type='PackSegInputs')
]
ade20k = dict(
    type='ADE20KDataset',
    data_root='data/ade/ADEChallengeData2016',
    data_prefix=dict(
        img_path='images/training', seg_map_path='annotations/training'),
    pipeline=reduced_train_pipeline)
coco_stuff = dict(
    type='COCOStuffDataset',
    data_root='data/coco_stuff164k',
    data_prefix=dict(
        img_path='images/train2017', seg_map_path='annotations/train2017'),
    pipeline=coco_train_pipeline)
context59 = dict(
    type='PascalContextDataset59',
    data_root='data/VOCdevkit/VOC2010/',
    data_prefix=dict(
        img_path='JPEGImages', seg_map_path='SegmentationClassContext'),
    ann_file='ImageSets/SegmentationContext/train.txt',
    pipeline=reduced_train_pipeline)
train_dataloader = dict(
    batch_size=4,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type='UnifiedDataset',
        datasets=[
            dict(
                name='ade20k', dataset=ade20k, classes='ade150', silent=[255]),
            dict(
                name='coco_stuff',
                dataset=coco_stuff,
                classes='coco_stuff171',
                silent=[255]),
            dict(
                name='context59',
                dataset=context59,
                classes='context59',
                silent=[255])
        ],
        synonyms=synonyms,
        classes=unified_classes))
val_dataloader = dict(
    batch_size=1,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='ADE20KDataset',
        data_root='data/ade/ADEChallengeData2016',
        data_prefix=dict(
            img_path='images/validation',
            seg_map_path='annotations/validation'),
        pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(
    type='LabelSpaceIoUMetric',
    prediction_classes=unified_classes,
    synonyms=synonyms,
    dataset_classes='ade150',
    unseen_idx=[])
test_evaluator = val_evaluator
