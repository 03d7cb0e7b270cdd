# 5-shot OOD fine-tuning of Li et al. (2023), the authors' script: from the
# distilled student, 20 epochs, SGD (momentum 0.9, wd 1e-4) under a
# one-cycle lr with peak 0.001 stepped per epoch (their README; App. B says
# 0.003: pass --cfg-options param_scheduler.0.eta_max=0.003), a validation
# every epoch, the last 5 averaged.
_base_ = './cls_li2023_90e.py'
optim_wrapper = dict(optimizer=dict(lr=0.001))
param_scheduler = [
    dict(type='OneCycleLR', eta_max=0.001, total_steps=20, by_epoch=True)
]
train_cfg = dict(max_epochs=20, val_interval=1)
