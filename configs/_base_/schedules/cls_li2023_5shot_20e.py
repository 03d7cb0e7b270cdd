# 5-shot OOD fine-tuning of Li et al. (2023), the authors' script: from the
# distilled student, 20 epochs, SGD (wd 1e-4) under torch's one-cycle
# policy stepped per epoch: lr up to 0.001 over 30 % of the steps, then down
# (their README; App. B says 0.003: pass --cfg-options
# param_scheduler.0.eta_max=0.003), and, as torch's OneCycleLR does by
# default, momentum the other way: 0.95 -> 0.85 -> 0.95. A validation every
# epoch, the last 5 averaged.
_base_ = './cls_li2023_90e.py'
optim_wrapper = dict(optimizer=dict(lr=0.001, momentum=0.95))
param_scheduler = [
    dict(type='OneCycleLR', eta_max=0.001, total_steps=20, by_epoch=True),
    # torch's phases end at steps 0.3 * 20 - 1 = 5 and 19
    dict(
        type='CosineAnnealingMomentum',
        eta_min=0.85,
        T_max=5,
        begin=0,
        end=6,
        by_epoch=True),
    dict(
        type='CosineAnnealingMomentum',
        eta_min=0.95,
        T_max=14,
        begin=5,
        end=20,
        by_epoch=True),
]
train_cfg = dict(max_epochs=20, val_interval=1)
