# The MaskCLIP+ release's model (chongzhou96/MaskCLIP, configs/_base_/models/
# maskclip_plus_r50.py): a frozen CLIP RN50 teacher and the DeepLabV2-R101
# dot-product student of deeplabv2_r101-d8_text.py; the teacher labels the
# hidden pixels from the first iteration, seeing the student's
# ImageNet-normalised crop as the release's teacher does. Recipes give the
# vocabulary, the split, self-training (the student's own dropout-free
# labels) and the schedule.
_base_ = ['./deeplabv2_r101-d8_text.py', './clip_rn50_teacher.py']
model = dict(
    _delete_=True,
    type='PseudoLabelDistiller',
    data_preprocessor={{_base_.data_preprocessor}},
    student={{_base_.model}},
    teacher={{_base_.teacher}},
    teacher_normalization='student',
    labellers=[dict(type='TeacherLabeller', start=0)])
