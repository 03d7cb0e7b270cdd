_base_ = [
    '../_base_/models/maskclip-plus_deeplabv3plus-r50_vit-b16.py',
    '../_base_/datasets/pascal_context.py', '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_40k.py'
]
# Annotation-free MaskCLIP+ on Pascal Context-60: no pixel label is used;
# every pixel is pseudo-labelled by the teacher, then by the student.
model = dict(
    data_preprocessor=dict(size={{_base_.crop_size}}),
    unseen_idx='all',
    self_train_start=4000)
train_dataloader = dict(
    dataset=dict(pipeline={{_base_.annotation_free_train_pipeline}}))
