# 2k iterations of mmseg's SGD + poly schedule (the MaskCLIP+ release's
# annotation-free VOC-20 schedule; 4k: Context-59, 8k: COCO-Stuff).
_base_ = './schedule_20k.py'
param_scheduler = [
    dict(type='PolyLR', eta_min=1e-4, power=0.9, begin=0, end=2000,
         by_epoch=False)
]
train_cfg = dict(max_iters=2000, val_interval=1000)
default_hooks = dict(checkpoint=dict(interval=1000))
