# Reproduces MaskCLIP+ transductive zero-shot on Pascal Context-60 (paper:
# unseen mIoU 66.7; release README 48.4 mIoU): release config
# zero_shot/maskclip_plus_r50_deeplabv3plus_r101-d8_480x480_40k_pascal_context.py.
# DeepLabV3+ head (1024 channels); the background class has a learned
# embedding instead of a text, initialised as the release's cls_bg
# (randn(1, 1024): std 1); SGD lr 0.004, weight decay 1e-4. CLIP RN50
# labels the 10 unseen classes for 4k iterations, then the student does.
_base_ = [
    '../../_base_/models/maskclip-plus-release_deeplabv2-r101_rn50.py',
    '../../_base_/datasets/pascal_context.py',
    '../../_base_/default_runtime.py', '../../_base_/schedules/schedule_40k.py'
]
model = dict(
    data_preprocessor=dict(size={{_base_.crop_size}}),
    student=dict(
        classifier=dict(background_idx=0, background_std=1.0),
        decode_head=dict(
            _delete_=True,
            type='DepthwiseSeparableASPPHead',
            in_channels=2048,
            in_index=3,
            channels=1024,
            dilations=(1, 12, 24, 36),
            c1_in_channels=256,
            c1_channels=48,
            dropout_ratio=0.,
            num_classes=1024,  # the CLIP space (identity in 'dot' mode)
            norm_cfg={{_base_.norm_cfg}},
            align_corners=False,
            loss_decode=dict(
                type='CrossEntropyLoss', use_sigmoid=False, loss_weight=1.0))),
    class_names='context60_maskclip',  # "background" + the release's 59
    unseen_idx={{_base_.unseen_idx}},
    labellers=[
        dict(type='TeacherLabeller', start=0),
        dict(type='StudentLabeller', start=4000)
    ])
optim_wrapper = dict(optimizer=dict(lr=0.004, weight_decay=1e-4))
train_dataloader = dict(batch_size=4)
