# FreeSeg's stage-1 schedule (release: the prompt learner's
# mask2former_learn_prompt configs, detectron2): SGD lr 0.02 (momentum 0.9,
# detectron2's default), weight decay 1e-3, the lr held at 0.005x for 100
# warm-up iterations, then cosine to 0; 3,200 iterations (VOC; COCO
# 16,000), batch 32. detectron2's WarmupCosineLR runs its cosine over all
# the iterations from 0; here it runs over those after the warm-up.
_base_ = './schedule_1k.py'
optim_wrapper = dict(
    optimizer=dict(
        _delete_=True, type='SGD', lr=0.02, momentum=0.9, weight_decay=1e-3))
param_scheduler = [
    dict(type='ConstantLR', factor=0.005, begin=0, end=100, by_epoch=False),
    dict(
        type='CosineAnnealingLR',
        eta_min=0.,
        begin=100,
        end=3200,
        by_epoch=False)
]
train_cfg = dict(max_iters=3200, val_interval=1000)
default_hooks = dict(checkpoint=dict(interval=1000))
