# FreeSeg's stage-2 schedule (release, detectron2): AdamW, the backbone at
# 0.1x the lr, poly decay (power 0.9) without warm-up, the whole model's
# gradient norm clipped at 0.01; 20k iterations (VOC). The lr and weight
# decay are the recipe's (VOC R101c: 2e-5 / 2e-5).
_base_ = './schedule_20k.py'
optim_wrapper = dict(
    optimizer=dict(_delete_=True, type='AdamW', lr=2e-5, weight_decay=2e-5),
    paramwise_cfg=dict(custom_keys=dict(backbone=dict(lr_mult=0.1))),
    clip_grad=dict(_delete_=True, max_norm=0.01, norm_type=2))
param_scheduler = [
    dict(
        type='PolyLR',
        eta_min=0.,
        power=0.9,
        begin=0,
        end=20000,
        by_epoch=False)
]
