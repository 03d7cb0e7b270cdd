# The schedule of Li et al. (2023) for CUB, Stanford Cars and Flowers-102:
# their 90 epochs of 5 passes each (--repeat-epochs 5), i.e. 450 epochs, lr
# x0.1 at 150 and 300, a validation every 5 epochs (after each of their
# epochs), the last 5 averaged.
_base_ = './cls_li2023_90e.py'
param_scheduler = [
    dict(type='MultiStepLR', by_epoch=True, milestones=[150, 300], gamma=0.1)
]
train_cfg = dict(max_epochs=450, val_interval=5)
default_hooks = dict(checkpoint=dict(interval=50))
