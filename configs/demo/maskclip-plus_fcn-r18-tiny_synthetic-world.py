# MaskCLIP+ on the embedded world: the tiny FCN student learns the seen
# classes from labels and the unseen ones (square, ring, diamond) from the
# world CLIP teacher, then from the predictions of its moving average
# (self_train_ema: without it, a seed in five lost a class to another once
# self-training began; README, "Self-training").
_base_ = [
    '../_base_/models/fcn_r18-tiny_text.py',
    '../_base_/models/world_clip_teacher.py',
    '../_base_/datasets/synthetic_world.py', '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_1k.py'
]
model = dict(
    _delete_=True,
    type='PseudoLabelDistiller',
    data_preprocessor={{_base_.data_preprocessor}},
    student={{_base_.model}},
    teacher={{_base_.teacher}},
    teacher_start=0,
    self_train_start=500,
    self_train_ema=0.99,
    teacher_input_size=(128, 128))
train_dataloader = dict(
    dataset=dict(pipeline={{_base_.zero_shot_train_pipeline}}))
randomness = dict(seed=0, deterministic=False)
