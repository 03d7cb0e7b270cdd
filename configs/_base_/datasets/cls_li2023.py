# The exact image sets of Li et al. (2023), read from the authors' published
# lists: train on X_train (ID classes), evaluate on X_id (held-out images of
# the ID classes, `val_on_train`) and X_ood (every image of the OOD classes,
# `val`). `data_root` is a folder laid out by the authors'
# scripts/split_dataset.py (train/ val/ val_on_train/) that also holds their
# label2text.txt, chatgpt.txt and *_data.txt of that dataset: it is the
# class split too. A per-dataset base sets it (see the README, "Splits of
# Li et al."); without those files use the cls_{dataset}.py bases instead.
_base_ = './cls_common.py'
# the authors' views: every image squashed to 256 x 256 first (by PIL, as
# their torchvision Resize of PIL images); the student sees random 224
# crops, the teacher the whole 256 view resized to 224
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(256, 256), keep_ratio=False, backend='pillow'),
    dict(type='RandomResizedCrop', scale=224),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(256, 256), keep_ratio=False, backend='pillow'),
    dict(type='CenterCrop', crop_size=224),
    dict(type='PackInputs'),
]
teacher_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(256, 256), keep_ratio=False, backend='pillow'),
    dict(
        type='Resize',
        scale=(224, 224),
        keep_ratio=False,
        interpolation='bicubic'),
    dict(type='PackInputs'),
]
train_dataloader = dict(
    batch_size=128,  # the authors' batch, on one GPU
    dataset=dict(part='train', subset='id', pipeline=train_pipeline))
val_dataloader = dict(
    dataset=dict(part='test', subset='all', pipeline=test_pipeline))
test_dataloader = val_dataloader
custom_hooks = [
    dict(type='mmseg.RankConsistencyHook'),
    dict(
        type='TeacherFeatureHook',
        pipeline=teacher_pipeline,
        batch_size=128,
        num_workers=4),
    dict(type='LastEvaluationsHook', n=5),
    # the random state in checkpoints, validation off training's stream
    dict(type='mmseg.RandomStateHook')
]
