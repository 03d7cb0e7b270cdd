# MaskCLIP+ distiller: ViT-B/16 teacher, DeepLabV3+ R50 text student.
# Recipes set class_names / unseen_idx at their top level (a dataset base
# does) and add a schedule.
_base_ = ['./deeplabv3plus_r50-d8_text.py', './clip_vit-b16_teacher.py']
model = dict(
    _delete_=True,
    type='PseudoLabelDistiller',
    data_preprocessor={{_base_.data_preprocessor}},
    student={{_base_.model}},
    teacher={{_base_.teacher}},
    class_names=None,
    unseen_idx=None,
    teacher_start=0,
    self_train_start=None,
    confidence_thresh=0.0)
