# Image-level VL distillation on the embedded world (Li et al., 2023): a
# tiny ResNet-18 learns the ID objects with L_cls + L_im-cst + L_vlprox from
# the world CLIP, then names the OOD objects zero-shot from their texts.
_base_ = [
    '../_base_/models/vlkd-cls_r18.py',
    '../_base_/models/world_clip_teacher.py',
    '../_base_/datasets/cls_synthetic_world.py', '../_base_/cls_runtime.py',
    '../_base_/schedules/cls_1500it.py'
]
model = dict(
    backbone=dict(base_channels=16, stem_channels=16),
    in_channels=128,
    teacher={{_base_.teacher}},
    class_split={{_base_.class_split}},
    losses=[
        dict(loss='clip_classification_loss'),
        dict(loss='image_contrastive_loss'),
        dict(loss='vl_proximal_loss', k=3),
    ],
    # the world CLIP only ever read "a photo of a X": plain class names
    enriched_labels=False)
