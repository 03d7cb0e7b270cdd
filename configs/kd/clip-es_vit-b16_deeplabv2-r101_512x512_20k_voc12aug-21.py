# Weakly supervised segmentation from image tags on Pascal VOC 2012 + aug,
# CLIP-ES style (release: 71.1 val mIoU with an ImageNet-initialised
# DeepLabV2-R101). The student sees no pixel label, only each image's set of
# classes. What differs from the release: README ("Weak supervision").
_base_ = [
    '../_base_/models/clip-es_vit-b16_deeplabv2-r101.py',
    '../_base_/datasets/pascal_voc12_aug-21.py',
    '../_base_/default_runtime.py', '../_base_/schedules/schedule_20k.py'
]
model = dict(
    data_preprocessor=dict(size={{_base_.crop_size}}),
    class_names='voc21_clip-es')  # CLIP-ES's class texts, background first
train_dataloader = dict(
    batch_size=4, dataset=dict(pipeline={{_base_.image_tag_train_pipeline}}))
