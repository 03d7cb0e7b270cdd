# Reproduces MaskCLIP+ transductive zero-shot on COCO-Stuff-171 (paper:
# unseen mIoU 54.7; release README 39.7 mIoU): release config
# zero_shot/maskclip_plus_r50_deeplabv2_r101-d8_512x512_80k_coco-stuff164k.py.
# CLIP RN50 labels the 15 unseen classes for 8k iterations, then the
# student does. Batch 4 per GPU on 4 GPUs.
_base_ = [
    '../../_base_/models/maskclip-plus-release_deeplabv2-r101_rn50.py',
    '../../_base_/datasets/coco-stuff164k.py',
    '../../_base_/default_runtime.py', '../../_base_/schedules/schedule_80k.py'
]
model = dict(
    class_names='coco_stuff171_maskclip',  # "playingfield", "waterdrops", ...
    unseen_idx={{_base_.unseen_idx}},
    labellers=[
        dict(type='TeacherLabeller', start=0),
        dict(type='StudentLabeller', start=8000)
    ])
train_dataloader = dict(batch_size=4)
