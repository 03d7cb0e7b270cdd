# CLIPSeg's optimisation (timojl/clipseg experiments/*.yaml): AdamW 1e-3,
# cosine to 1e-4 over 20k iterations (batch 64 in the release: 16 x 4 GPUs,
# tools/dist_train.sh CONFIG 4 --amp for its mixed precision).
_base_ = ['./schedule_20k.py']
optim_wrapper = dict(
    _delete_=True,
    type='OptimWrapper',
    optimizer=dict(type='AdamW', lr=1e-3, weight_decay=0.01))
param_scheduler = [
    dict(
        type='CosineAnnealingLR',
        eta_min=1e-4,
        begin=0,
        end=20000,
        by_epoch=False)
]
