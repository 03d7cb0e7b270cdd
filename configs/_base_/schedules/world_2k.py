# The world's 2,000-iteration schedule of the zero-shot rows (ZegCLIP,
# FreeSeg): a linear warm-up over 100 iterations, then poly 0.9 to 1e-6; one
# validation and checkpoint at 1,000 and at the end. A recipe sets the
# optimiser.
_base_ = './schedule_1k.py'
param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=1e-3,
        begin=0,
        end=100,
        by_epoch=False),
    dict(
        type='PolyLR',
        eta_min=1e-6,
        power=0.9,
        begin=100,
        end=2000,
        by_epoch=False)
]
train_cfg = dict(max_iters=2000, val_interval=1000)
default_hooks = dict(checkpoint=dict(interval=1000))
randomness = dict(seed=0, deterministic=False)
