# The schedule of Li et al. (2023) for Food-101, SUN397 and tiered-ImageNet:
# SGD (momentum 0.9, weight decay 1e-4), lr 0.05 x0.1 at epochs 30 and 60 of
# 90, batch 128 (the dataset base); a validation every epoch, the last 5
# averaged (LastEvaluationsHook); no checkpoint chosen on a test split.
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=0.05, momentum=0.9, weight_decay=1e-4))
param_scheduler = [
    dict(type='MultiStepLR', by_epoch=True, milestones=[30, 60], gamma=0.1)
]
# the loop puts back the checkpoint's random state on resume
train_cfg = dict(
    type='ExactResumeEpochBasedTrainLoop', max_epochs=90, val_interval=1)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=50),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(
        type='AtomicCheckpointHook', interval=10, max_keep_ckpts=2),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    visualization=dict(type='VisualizationHook', enable=False))
