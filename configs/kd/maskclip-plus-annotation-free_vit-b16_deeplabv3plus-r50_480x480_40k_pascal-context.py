_base_ = [
    '../_base_/models/maskclip-plus_deeplabv3plus-r50_vit-b16.py',
    '../_base_/datasets/pascal_context.py', '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_40k.py'
]
# Annotation-free MaskCLIP+ on Pascal Context-60: no pixel label is used;
# every pixel is pseudo-labelled by the teacher, then by the student.
model = dict(
    data_preprocessor=dict(size={{_base_.crop_size}}),
    class_names={{_base_.class_names}},
    unseen_idx='all',
    labellers=[
        dict(type='TeacherLabeller', start=0),
        dict(type='StudentLabeller', start=4000)
    ])
