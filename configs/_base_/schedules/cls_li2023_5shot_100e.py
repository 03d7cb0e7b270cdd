# 5-shot fine-tuning on CUB, Stanford Cars and Flowers-102: the authors'
# 20 epochs of 5 passes each, one validation per 5 epochs; the one-cycle lr
# and momentum of cls_li2023_5shot_20e.py over the 100 passes.
_base_ = './cls_li2023_5shot_20e.py'
param_scheduler = [
    dict(type='OneCycleLR', eta_max=0.001, total_steps=100, by_epoch=True),
    dict(
        type='CosineAnnealingMomentum',
        eta_min=0.85,
        T_max=29,
        begin=0,
        end=30,
        by_epoch=True),
    dict(
        type='CosineAnnealingMomentum',
        eta_min=0.95,
        T_max=70,
        begin=29,
        end=100,
        by_epoch=True),
]
train_cfg = dict(max_epochs=100, val_interval=5)
