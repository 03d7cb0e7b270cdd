_base_ = [
    '../_base_/models/maskclip-plus_deeplabv3plus-r50_vit-b16.py',
    '../_base_/datasets/coco-stuff164k.py', '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_80k.py'
]
# Transductive zero-shot MaskCLIP+ on COCO-Stuff-164k (15 unseen classes).
model = dict(
    data_preprocessor=dict(size={{_base_.crop_size}}),
    class_names={{_base_.class_names}},
    unseen_idx={{_base_.unseen_idx}},
    labellers=[
        dict(type='TeacherLabeller', start=0),
        dict(type='StudentLabeller', start=8000)
    ])
