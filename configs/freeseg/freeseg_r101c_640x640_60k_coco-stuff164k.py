# FreeSeg on COCO-Stuff-171, inductive (paper: seen / unseen / hIoU 42.4 /
# 42.2 / 42.3): the release's coco-stuff-164k-156 mask2former_R101c_alltask
# run, semantic task only: batch 32 (4 per GPU on 8), AdamW 1.5e-4 /
# 1.5e-4, 60k iterations, 640 crops of shortest sides 320-1280; the 15
# unseen classes' pixels ignored; tested at short side 640 (max 2560) with
# CLIP's region ensemble at w = 0.8. Text: the prompts learned in stage 1
# (freeseg-prompts_vit-b16_16k_coco-stuff164k.py, trained first from the
# repository root); the release's instance / panoptic tasks are not built
# (README, FreeSeg).
_base_ = [
    '../_base_/models/freeseg_r101c.py',
    '../_base_/models/clip_vit-b16_teacher.py',
    '../_base_/datasets/coco-stuff164k.py', '../_base_/default_runtime.py',
    '../_base_/schedules/freeseg_20k.py'
]
crop_size = (640, 640)
stage1_checkpoint = ('work_dirs/freeseg-prompts_vit-b16_16k_coco-stuff164k/'
                     'iter_16000.pth')
model = dict(
    data_preprocessor=dict(size=crop_size),
    text_encoder={{_base_.teacher}},
    class_names={{_base_.class_names}},
    unseen_idx={{_base_.unseen_idx}},
    prompts=dict(
        type='LearnedPrompts',
        n_ctx=16,
        task='semantic segmentation.',
        n_task_ctx=8,
        checkpoint=stage1_checkpoint))
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(
        type='RandomChoiceResize',
        scales=[s for s in range(320, 1281, 32)],
        resize_type='ResizeShortestEdge',
        max_size=2560),
    dict(type='RandomCrop', crop_size=crop_size),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PhotoMetricDistortion'),
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
optim_wrapper = dict(optimizer=dict(lr=1.5e-4, weight_decay=1.5e-4))
param_scheduler = [
    dict(
        type='PolyLR',
        eta_min=0.,
        power=0.9,
        begin=0,
        end=60000,
        by_epoch=False)
]
train_cfg = dict(max_iters=60000, val_interval=10000)
default_hooks = dict(checkpoint=dict(interval=10000))
