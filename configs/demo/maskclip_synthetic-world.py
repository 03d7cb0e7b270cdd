# Training-free MaskCLIP with the world's CLIP teacher (the demo's baseline).
_base_ = [
    '../_base_/models/world_clip_teacher.py',
    '../_base_/datasets/synthetic_world.py', '../_base_/default_runtime.py',
    '../_base_/schedules/test_only.py'
]
model = dict(
    type='MaskCLIPSegmentor',
    data_preprocessor=dict(
        type='SegDataPreProcessor',
        mean=[122.771, 116.746, 104.094],
        std=[68.501, 66.632, 70.323],
        bgr_to_rgb=True,
        pad_val=0,
        seg_pad_val=255),
    teacher={{_base_.teacher}},
    class_names={{_base_.class_names}},
    test_cfg=dict(mode='whole'))
# the teacher reads 128 px; predictions are resized back to the 64 px labels
test_dataloader = dict(
    dataset=dict(pipeline=[
        dict(type='LoadImageFromFile'),
        dict(type='Resize', scale=(128, 128), keep_ratio=False),
        dict(type='LoadAnnotations'),
        dict(type='PackSegInputs')
    ]))
train_dataloader = None
val_dataloader = None
val_evaluator = None
val_cfg = None
