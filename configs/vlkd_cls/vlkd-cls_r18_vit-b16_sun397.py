# The cheaper variant of vlkd-cls_r18_vit-l14_li2023-sun397.py: CLIP
# ViT-B/16 teacher (512-d), and the packaged class split over mmpretrain's
# own train / test images, the fallback when the authors' lists are absent
# (not the paper's image sets: numbers are not comparable with Table 1).
_base_ = [
    '../_base_/vlkd-cls_li2023.py', '../_base_/models/clip_vit-b16_teacher.py',
    '../_base_/datasets/cls_sun397.py', '../_base_/schedules/cls_li2023_90e.py'
]
model = dict(teacher={{_base_.teacher}}, class_split={{_base_.class_split}})
