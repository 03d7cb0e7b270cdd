_base_ = [
    '../_base_/models/maskclip-plus_deeplabv3plus-r50_vit-b16.py',
    '../_base_/datasets/pascal_voc12_aug.py', '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_20k.py'
]
# Transductive zero-shot MaskCLIP+ on VOC-20: 5 unseen classes pseudo-labelled
# by the ViT-B/16 teacher for 2k iterations, then self-training.
model = dict(
    data_preprocessor=dict(size={{_base_.crop_size}}),
    class_names={{_base_.class_names}},
    unseen_idx={{_base_.unseen_idx}},
    labellers=[
        dict(type='TeacherLabeller', start=0),
        dict(type='StudentLabeller', start=2000)
    ])
