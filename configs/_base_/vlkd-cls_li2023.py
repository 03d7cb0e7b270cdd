# The one base of the image-level recipes of Li et al. (2023): ResNet-18
# student, full loss set (models/vlkd-cls_r18.py), the authors' class texts
# ("a photo of " + name + " . " + sentence) and input normalisation
# (ImageNet mean / std for the student; the teacher normalises its own
# view). A recipe adds the teacher, the dataset and the schedule.
_base_ = ['./models/vlkd-cls_r18.py', './cls_runtime.py']
model = dict(
    # the authors' torchvision ResNet-18: residual blocks not zero-initialised
    backbone=dict(zero_init_residual=False),
    templates=['a photo of {} .'],
    enriched_labels=True,
    data_preprocessor=dict(
        mean=[123.675, 116.28, 103.53], std=[58.395, 57.12, 57.375]))
