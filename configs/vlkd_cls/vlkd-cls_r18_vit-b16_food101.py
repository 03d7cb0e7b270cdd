# Li et al. (2023) on food101: ResNet-18 student, CLIP ViT-B/16 teacher,
# L_cls + L_im-cst + L_vlprox with enriched labels; ID accuracy and
# zero-shot OOD accuracy plus M_rel / M_neigh / M_vlalign on the test split.
_base_ = [
    '../_base_/models/vlkd-cls_r18.py',
    '../_base_/models/clip_vit-b16_teacher.py',
    '../_base_/datasets/cls_food101.py', '../_base_/cls_runtime.py',
    '../_base_/schedules/cls_100e.py'
]
model = dict(teacher={{_base_.teacher}}, class_split={{_base_.class_split}})
