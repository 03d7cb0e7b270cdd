# FreeSeg on VOC-20, inductive (paper: seen / unseen / hIoU 91.9 / 78.6 /
# 84.7): the release's mask2former_R101c_bs16_20k (VOC 15 + 5), batch 32
# (4 per GPU on 8: tools/dist_train.sh CONFIG 8), AdamW 2e-5 / 2e-5, 20k
# iterations; shortest side 320-960 then a 512 crop, flip, colour jitter;
# the 5 unseen classes' pixels ignored, their images kept; tested at short
# side 512 (max 2048) with CLIP's region ensemble at w = 0.8. Text: the
# prompts learned in stage 1 (freeseg-prompts_vit-b16_3200_voc12aug-20.py,
# trained first from the repository root).
_base_ = [
    '../_base_/models/freeseg_r101c.py',
    '../_base_/models/clip_vit-b16_teacher.py',
    '../_base_/datasets/pascal_voc12_aug.py', '../_base_/default_runtime.py',
    '../_base_/schedules/freeseg_20k.py'
]
stage1_checkpoint = ('work_dirs/freeseg-prompts_vit-b16_3200_voc12aug-20/'
                     'iter_3200.pth')
model = dict(
    data_preprocessor=dict(size={{_base_.crop_size}}),
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
        scales=[s for s in range(320, 961, 32)],
        resize_type='ResizeShortestEdge',
        max_size=2048),
    dict(type='RandomCrop', crop_size={{_base_.crop_size}}),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PhotoMetricDistortion'),
    dict(type='PackSegInputs')
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='ResizeShortestEdge', scale=512, max_size=2048),
    dict(type='LoadAnnotations'),
    dict(type='PackSegInputs')
]
train_dataloader = dict(batch_size=4, dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = val_dataloader
