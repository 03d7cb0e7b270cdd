# ZegCLIP's schedule: AdamW, 1.5k-iteration linear warm-up, poly 0.9 to 1e-6.
# The release asks lr 2e-5 with lr_mult 10 for backbone and head; since
# every trainable parameter matches one of those keys first (mmcv's
# longest-key rule), all train at 2e-4 with weight decay 0.01, as here.
_base_ = './schedule_20k.py'
optimizer = dict(_delete_=True, type='AdamW', lr=2e-4, weight_decay=0.01)
optim_wrapper = dict(optimizer=optimizer)
param_scheduler = [
    dict(
        type='LinearLR', start_factor=1e-6, by_epoch=False, begin=0, end=1500),
    dict(
        type='PolyLR',
        eta_min=1e-6,
        power=0.9,
        begin=1500,
        end=20000,
        by_epoch=False)
]
