# Inductive ZegCLIP on Pascal Context-60 (paper: 46.0 / 54.6 / 49.9). The
# release has no Context training config: this is its COCO setting (100
# prompt tokens, ViLD templates) on mmseg's Context-60 at 480 px over 40k
# iterations, with vlkd_seg's Context-60 split (MaskCLIP+'s 10 unseen
# classes); README ("ZegCLIP").
_base_ = [
    '../_base_/models/zegclip_vit-b16.py',
    '../_base_/datasets/pascal_context.py', '../_base_/default_runtime.py',
    '../_base_/schedules/zegclip_20k.py'
]
model = dict(
    data_preprocessor=dict(size={{_base_.crop_size}}),
    image_encoder=dict(num_tokens=100),
    text_encoder=dict(templates='vild'),
    class_names={{_base_.class_names}},
    unseen_idx={{_base_.unseen_idx}},
    test_cfg=dict(crop_size=(480, 480), stride=(400, 400)))
param_scheduler = [
    dict(
        type='LinearLR', start_factor=1e-6, by_epoch=False, begin=0, end=1500),
    dict(
        type='PolyLR',
        eta_min=1e-6,
        power=0.9,
        begin=1500,
        end=40000,
        by_epoch=False)
]
train_cfg = dict(max_iters=40000, val_interval=4000)
train_dataloader = dict(batch_size=4)
