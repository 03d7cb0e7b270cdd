# Reproduces MaskCLIP+ transductive zero-shot on Pascal VOC-20 (paper:
# unseen mIoU 86.1; release README 87.8): release config
# zero_shot/maskclip_plus_r50_deeplabv2_r101-d8_512x512_20k_voc12aug_20.py.
# CLIP RN50 labels the unseen pixels (potted plant, sheep, sofa, train,
# tv monitor) for 2k iterations, then the student labels them itself.
# Batch 4 per GPU on 4 GPUs: tools/dist_train.sh CONFIG 4.
_base_ = [
    '../../_base_/models/maskclip-plus-release_deeplabv2-r101_rn50.py',
    '../../_base_/datasets/pascal_voc12_aug.py',
    '../../_base_/default_runtime.py', '../../_base_/schedules/schedule_20k.py'
]
model = dict(
    class_names='voc20_maskclip',  # the release's names ("airplane", ...)
    unseen_idx={{_base_.unseen_idx}},
    labellers=[
        dict(type='TeacherLabeller', start=0),
        dict(type='StudentLabeller', start=2000)
    ])
train_dataloader = dict(batch_size=4)
