# FreeSeg's stage 1 on COCO-Stuff-171, inductive: the prompts of CLIP
# ViT-B/16 learned on the 156 seen classes' regions (the release's
# coco-stuff-164k-156/mask2former_learn_prompt_bs32_16k: SGD 0.02 / 1e-3,
# constant warm-up, cosine, 16,000 iterations, batch 32 = 4 per GPU on 8;
# the semantic task's prompt only). Images at short side 640, a 640 crop
# and flips; every seen region of an image is a sample (the release draws
# one region per sample, 64 per class). Stage 2,
# freeseg_r101c_640x640_60k_coco-stuff164k.py, loads iter_16000.pth of this
# run's default work dir.
_base_ = [
    '../_base_/models/freeseg-prompts.py',
    '../_base_/models/clip_vit-b16_teacher.py',
    '../_base_/datasets/coco-stuff164k.py', '../_base_/default_runtime.py',
    '../_base_/schedules/freeseg_prompts_3200.py'
]
crop_size = (640, 640)
model = dict(
    data_preprocessor=dict(size=crop_size),
    teacher={{_base_.teacher}},
    class_names={{_base_.class_names}},
    unseen_idx={{_base_.unseen_idx}})
param_scheduler = [
    dict(type='ConstantLR', factor=0.005, begin=0, end=100, by_epoch=False),
    dict(
        type='CosineAnnealingLR',
        eta_min=0.,
        begin=100,
        end=16000,
        by_epoch=False)
]
train_cfg = dict(max_iters=16000, val_interval=4000)
default_hooks = dict(checkpoint=dict(interval=4000))
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='ResizeShortestEdge', scale=640, max_size=2560),
    dict(type='RandomCrop', crop_size=crop_size),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PackSegInputs')
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='ResizeShortestEdge', scale=640, max_size=2560),
    dict(type='LoadAnnotations'),
    dict(type='PackSegInputs')
]
train_dataloader = dict(batch_size=4, dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = val_dataloader
