# 5-shot fine-tuning on CUB, Stanford Cars and Flowers-102: the authors'
# 20 epochs of 5 passes each, one validation per 5 epochs.
_base_ = './cls_li2023_5shot_20e.py'
param_scheduler = [
    dict(type='OneCycleLR', eta_max=0.001, total_steps=100, by_epoch=True)
]
train_cfg = dict(max_epochs=100, val_interval=5)
