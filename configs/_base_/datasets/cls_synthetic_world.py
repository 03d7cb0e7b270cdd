# Single-object scenes of the embedded world for image classification:
# train on the ID objects (disc, triangle, cross, star), evaluate ID and
# zero-shot OOD (square, ring, diamond, bar) accuracy. Written by
# `python tools/world_classification.py` (generate_world_objects).
class_split = 'synthetic_world'
data_root = '{{$VLKD_CACHE:~/.cache/vlkd_seg}}/world_objects'
missing_data_hint = 'write it with `python tools/world_classification.py`'
# no augmentation: the student sees exactly the view the teacher embedded
# once (the world CLIP reads 128 px: its view is upsampled on the fly)
test_pipeline = [dict(type='LoadImageFromFile'), dict(type='PackInputs')]
train_pipeline = teacher_pipeline = test_pipeline
train_dataloader = dict(
    batch_size=64,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type='ClassSplitDataset',
        class_split=class_split,
        subset='id',
        pipeline=train_pipeline,
        dataset=dict(
            type='CustomDataset',
            data_root=data_root,
            ann_file='meta/train.txt')))
test_dataloader = dict(
    batch_size=100,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='ClassSplitDataset',
        class_split=class_split,
        subset='all',
        pipeline=test_pipeline,
        dataset=dict(
            type='CustomDataset',
            data_root=data_root,
            ann_file='meta/test.txt')))
val_dataloader = test_dataloader
test_evaluator = dict(type='VLDistillMetric', class_split=class_split)
val_evaluator = test_evaluator
custom_hooks = [
    dict(type='mmseg.RankConsistencyHook'),
    dict(type='TeacherFeatureHook', pipeline=teacher_pipeline),
    dict(type='LastEvaluationsHook', n=5),
    # the random state in checkpoints, validation off training's stream
    dict(type='mmseg.RandomStateHook')
]
