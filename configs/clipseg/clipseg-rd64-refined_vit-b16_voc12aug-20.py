# CLIPSeg with its published weights (CIDAS/clipseg-rd64-refined, the
# transformers layout: config.json and model.safetensors in
# checkpoints/clipseg-rd64-refined), no training: answer phrases and image
# prompts (tools/infer.py --prompt / --prompt-image) or, in the semantic
# mode, label VOC-20's classes. Images are resized to 352 x 352, as
# transformers' CLIPSegProcessor does.
_base_ = [
    '../_base_/datasets/pascal_voc12_aug.py', '../_base_/default_runtime.py',
    '../_base_/schedules/test_only.py'
]
model = dict(
    type='CLIPSeg',
    weights='checkpoints/clipseg-rd64-refined',
    data_preprocessor=dict(
        type='SegDataPreProcessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        bgr_to_rgb=True,
        pad_val=0,
        seg_pad_val=255,
        size_divisor=16),
    class_names={{_base_.class_names}},
    test_cfg=dict(mode='whole'))
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(352, 352), keep_ratio=False),
    dict(type='LoadAnnotations'),
    dict(type='PackSegInputs')
]
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = val_dataloader
train_dataloader = None
