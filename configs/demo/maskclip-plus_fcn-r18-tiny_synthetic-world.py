# MaskCLIP+ on the embedded world: the tiny FCN student learns the seen
# classes from labels and the unseen ones (square, ring, diamond) from the
# world CLIP teacher, then from the predictions of its moving average
# (ema: without it, a seed in five lost a class to another once
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
    class_names={{_base_.class_names}},
    unseen_idx={{_base_.unseen_idx}},
    labellers=[
        dict(type='TeacherLabeller', start=0),
        dict(type='StudentLabeller', start=500, ema=0.99)
    ],
    teacher_input_size=(128, 128))
randomness = dict(seed=0, deterministic=False)
