# 8k iterations of mmseg's SGD + poly schedule (see schedule_2k.py).
_base_ = './schedule_2k.py'
param_scheduler = [
    dict(type='PolyLR', eta_min=1e-4, power=0.9, begin=0, end=8000,
         by_epoch=False)
]
train_cfg = dict(max_iters=8000, val_interval=4000)
default_hooks = dict(checkpoint=dict(interval=4000))
