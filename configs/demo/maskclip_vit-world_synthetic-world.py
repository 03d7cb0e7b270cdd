# Training-free MaskCLIP with the world's ViT CLIP at the scenes' 64 px
# (8x8 map), on the world's 8 objects (background ignored): the teacher
# ZegCLIP's world rows are measured against.
_base_ = [
    '../_base_/models/world_clip_vit_teacher.py',
    '../_base_/datasets/synthetic_world_objects.py',
    '../_base_/default_runtime.py', '../_base_/schedules/test_only.py'
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
train_dataloader = None
val_dataloader = None
val_evaluator = None
val_cfg = None
