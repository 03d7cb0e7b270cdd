# The MaskCLIP+ release's model (chongzhou96/MaskCLIP, configs/_base_/models/
# maskclip_plus_r50.py): a frozen CLIP RN50 teacher and the DeepLabV2-R101
# dot-product student of deeplabv2_r101-d8_text.py. Self-training labels
# come from the same dropout-free student. Recipes set the vocabulary, the
# unseen classes and the schedule from a dataset base.
_base_ = ['./deeplabv2_r101-d8_text.py', './clip_rn50_teacher.py']
model = dict(
    _delete_=True,
    type='PseudoLabelDistiller',
    data_preprocessor={{_base_.data_preprocessor}},
    student={{_base_.model}},
    teacher={{_base_.teacher}},
    class_names=None,
    unseen_idx=None,
    teacher_start=0,
    self_train_start=None)
