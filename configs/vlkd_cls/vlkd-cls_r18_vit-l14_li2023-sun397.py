# Li et al. (2023) on SUN397, as in the paper: their image lists and
# sentences, ResNet-18 student, CLIP ViT-L/14 teacher, L_cls + L_mse +
# L_im-cst + L_vlprox (k = 256), SGD 90 epochs, batch 128; ID (X_id) and
# 0-shot OOD (X_ood) mean per-class accuracy averaged over the last 5
# validations (last_evaluations.json). 5-shot OOD: tools/li2023_few_shot.py.
_base_ = [
    '../_base_/vlkd-cls_li2023.py', '../_base_/models/clip_vit-l14_teacher.py',
    '../_base_/datasets/cls_li2023_sun397.py',
    '../_base_/schedules/cls_li2023_90e.py'
]
model = dict(teacher={{_base_.teacher}}, class_split={{_base_.class_split}})
