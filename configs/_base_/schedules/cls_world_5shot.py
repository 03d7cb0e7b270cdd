# 5-shot OOD fine-tuning on the embedded world (tools/world_classification.py
# via few_shot_config): 300 iterations under a one-cycle lr peaking at a
# tenth of the world distillation's (AdamW, as that schedule), a validation
# every 20 iterations, the last 5 averaged.
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='AdamW', lr=2e-4, weight_decay=0.05))
param_scheduler = [
    dict(type='OneCycleLR', eta_max=2e-4, total_steps=300, by_epoch=False)
]
train_cfg = dict(
    type='ExactResumeIterBasedTrainLoop', max_iters=300, val_interval=20)
