# MaskCLIP+ distiller: ViT-B/16 teacher, DeepLabV3+ R50 text student; the
# teacher labels the hidden (unseen) pixels from the first iteration.
# Recipes give the model the vocabulary and the split of their dataset base
# (class_names, unseen_idx), and add self-training (a StudentLabeller) and
# a schedule.
_base_ = ['./deeplabv3plus_r50-d8_text.py', './clip_vit-b16_teacher.py']
model = dict(
    _delete_=True,
    type='PseudoLabelDistiller',
    data_preprocessor={{_base_.data_preprocessor}},
    student={{_base_.model}},
    teacher={{_base_.teacher}},
    labellers=[dict(type='TeacherLabeller', start=0)])
