# CLIPSeg on the embedded world's 8 objects, inductive (background ignored,
# the scenes holding an unseen object left out of training, as the ZegCLIP
# world row): the world's ViT CLIP frozen, a CLIPSegHead of 64 channels on
# its blocks 0-2 (of 4; the release reads 3, 7, 9 of 12, never the last),
# the release's training conditions (random templates, the text mixed with
# a support image of the class), BCE of each seen class's mask; at test one
# prompt per class (its name).
_base_ = [
    '../_base_/models/world_clip_vit_teacher.py',
    '../_base_/datasets/synthetic_world_objects_inductive.py',
    '../_base_/default_runtime.py', '../_base_/schedules/schedule_1k.py'
]
model = dict(
    type='CLIPSeg',
    data_preprocessor=dict(
        type='SegDataPreProcessor',
        mean=[122.771, 116.746, 104.094],
        std=[68.501, 66.632, 70.323],
        bgr_to_rgb=True,
        pad_val=0,
        seg_pad_val=255,
        size=(64, 64)),
    clip=dict(
        model_name={{_base_.teacher.model_name}},
        checkpoint={{_base_.world_clip_vit_checkpoint}}),
    decode_head=dict(
        type='CLIPSegHead', channels=64, num_heads=4, ffn_channels=256),
    extract_layers=(0, 1, 2),
    train_cfg=dict(
        prompt_templates=[
            'a photo of a {}.', 'a photograph of a {}.', 'an image of a {}.',
            '{}.', 'a photo of one {}.', 'a photo of the {}.'
        ],
        text_weight=(0., 0.5)),
    class_names={{_base_.class_names}},
    unseen_idx={{_base_.unseen_idx}},
    test_cfg=dict(mode='whole'))
# AdamW 1e-3 with a cosine decay, as the release (its 20k iterations at
# batch 64 become the world's 2,000 at 16)
optim_wrapper = dict(
    optimizer=dict(_delete_=True, type='AdamW', lr=1e-3, weight_decay=0.01))
param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=1e-3,
        begin=0,
        end=100,
        by_epoch=False),
    dict(
        type='CosineAnnealingLR',
        eta_min=1e-6,
        begin=100,
        end=2000,
        by_epoch=False)
]
train_cfg = dict(max_iters=2000, val_interval=1000)
default_hooks = dict(checkpoint=dict(interval=1000))
randomness = dict(seed=0, deterministic=False)
