# PhraseCut (Wu et al., CVPR 2020): 345k phrases of Visual Genome images
# with their region masks, as CLIPSeg trains on them. Download refer_*.json
# and images/ (github.com/ChenyunWu/PhraseCutDataset) into data/phrasecut,
# then convert once: python tools/convert_phrasecut.py data/phrasecut
# (masks/ and {train,val,test}.jsonl, PhraseMaskDataset's format).
dataset_type = 'PhraseMaskDataset'
data_root = 'data/phrasecut'
missing_data_hint = ('download PhraseCut there and run `python '
                     'tools/convert_phrasecut.py data/phrasecut`')
phrase_meta_keys = ('img_path', 'seg_map_path', 'ori_shape', 'img_shape',
                    'pad_shape', 'scale_factor', 'flip', 'flip_direction',
                    'reduce_zero_label', 'phrase')
crop_size = (352, 352)
# the release's pre_crop_crop_size [sample, 1, 1.5]: scale to 1-1.5 x 352,
# crop 352; no flip (phrases say "the left sign")
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadPhraseMask'),
    dict(
        type='RandomResize',
        scale=crop_size,
        ratio_range=(1.0, 1.5),
        keep_ratio=False),
    dict(type='RandomCrop', crop_size=crop_size),
    dict(type='PackSegInputs', meta_keys=phrase_meta_keys)
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=crop_size, keep_ratio=False),
    dict(type='LoadPhraseMask'),
    dict(type='PackSegInputs', meta_keys=phrase_meta_keys)
]
train_dataloader = dict(
    batch_size=16,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file='train.jsonl',
        negative_prob=0.2,  # the release's
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=1,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file='val.jsonl',
        pipeline=test_pipeline))
test_dataloader = dict(
    val_dataloader,
    dataset=dict(val_dataloader['dataset'], ann_file='test.jsonl'))
# IoU of the 'phrase' class: the foreground IoU over the split (a pixel is
# the phrase's where its sigmoid passes the model's background_thresh)
val_evaluator = dict(type='IoUMetric', iou_metrics=['mIoU'])
test_evaluator = val_evaluator
