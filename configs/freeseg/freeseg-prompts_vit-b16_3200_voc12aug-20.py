# FreeSeg's stage 1 on VOC-20, inductive: the prompts of CLIP ViT-B/16
# learned on the 15 seen classes' regions (the release's
# voc-11k-15/mask2former_learn_prompt: SGD 0.02 / 1e-3, constant warm-up,
# cosine, 3,200 iterations, batch 32 = 4 per GPU on 8). Images at short
# side 512, a 512 crop and flips; every seen region of an image is a sample
# (the release draws one region per sample, 128 per class). Tested as
# MaskCLIP with the learned texts. Stage 2,
# freeseg_r101c_512x512_20k_voc12aug-20.py, loads iter_3200.pth of this
# run's default work dir.
_base_ = [
    '../_base_/models/freeseg-prompts.py',
    '../_base_/models/clip_vit-b16_teacher.py',
    '../_base_/datasets/pascal_voc12_aug.py', '../_base_/default_runtime.py',
    '../_base_/schedules/freeseg_prompts_3200.py'
]
model = dict(
    data_preprocessor=dict(size={{_base_.crop_size}}),
    teacher={{_base_.teacher}},
    class_names={{_base_.class_names}},
    unseen_idx={{_base_.unseen_idx}})
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='ResizeShortestEdge', scale=512, max_size=2048),
    dict(type='RandomCrop', crop_size={{_base_.crop_size}}),
    dict(type='RandomFlip', prob=0.5),
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
