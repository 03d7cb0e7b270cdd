# Loaders shared by the real classification datasets: training on the ID
# classes of a class split, evaluation on all (ID + OOD) classes; the
# teacher embeds each split once through `teacher_pipeline`. A dataset base
# inherits this, sets `class_split` and `data_root` at its top level (they
# reach every dataset, the model and the metric) and names the wrapped dataset.
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='RandomResizedCrop', scale=224),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='ResizeEdge', scale=256, edge='short'),
    dict(type='CenterCrop', crop_size=224),
    dict(type='PackInputs'),
]
teacher_pipeline = test_pipeline
train_dataloader = dict(
    batch_size=128,  # the authors' batch, on one GPU (per process)
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='ClassSplitDataset', subset='id', pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=64,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='ClassSplitDataset', subset='all', pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(type='VLDistillMetric')
test_evaluator = val_evaluator
custom_hooks = [
    dict(type='mmseg.RankConsistencyHook'),
    dict(
        type='TeacherFeatureHook',
        pipeline=teacher_pipeline,
        batch_size=128,
        num_workers=4),
    # accuracy as the paper reports it: the mean of the last 5 validations
    dict(type='LastEvaluationsHook', n=5),
    # the random state in checkpoints, validation off training's stream
    dict(type='mmseg.RandomStateHook')
]
