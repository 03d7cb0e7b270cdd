# SSIW (Yin et al. 2022, "The devil is in the labels"): one student of
# ADE20K-150, COCO-Stuff-171 and PASCAL-Context-59 in their 253 unified
# classes, each class named by its CLIP text; scored as SSIW scores,
# softmax(100 * cosine) (temperature 0.01, fixed), and tested as it tests:
# a pixel whose best class is below 0.5 is "unknown" (255). SSIW released
# inference code only: the student, teacher, schedule and pseudo-labels
# here are vlkd_seg's (MaskCLIP+'s ADE20K setting; README, "SSIW").
# Zero-shot on datasets it did not train on:
#   python tools/cross_dataset_test.py THIS_CONFIG CHECKPOINT \
#       --targets configs/_base_/datasets/pascal_voc12_aug.py
_base_ = [
    '../_base_/models/ssiw_deeplabv3plus-r50_vit-b16.py',
    '../_base_/datasets/ade20k-coco-stuff164k-context59.py',
    '../_base_/default_runtime.py', '../_base_/schedules/schedule_80k.py'
]
model = dict(
    data_preprocessor=dict(size={{_base_.crop_size}}),
    class_names={{_base_.unified_classes}},
    student=dict(
        classifier=dict(temperature=0.01, learnable_temperature=False),
        test_cfg=dict(unknown_thresh=0.5)))
