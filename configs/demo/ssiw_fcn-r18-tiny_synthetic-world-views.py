# SSIW on the embedded world: one tiny FCN student trained on two datasets
# whose label sets differ and overlap (_base_/datasets/synthetic_world_
# views.py: "a" and "b", b's "hoop" merged with a's "ring"). Every class is
# named by the world CLIP's text; per sample the loss is over its own
# dataset's classes, and its background (silent: it may be any class the
# dataset does not annotate) is pseudo-labelled among those classes and
# background by the teacher, then by the student's moving average
# (MaskCLIP+'s schedule on this world). tools/ssiw_world.py runs it beside
# a student of each dataset alone.
_base_ = [
    '../_base_/models/fcn_r18-tiny_text.py',
    '../_base_/models/world_clip_teacher.py',
    '../_base_/datasets/synthetic_world_views.py',
    '../_base_/default_runtime.py', '../_base_/schedules/schedule_1k.py'
]
model = dict(
    _delete_=True,
    type='MultiDatasetDistiller',
    data_preprocessor={{_base_.data_preprocessor}},
    student={{_base_.model}},
    teacher={{_base_.teacher}},
    class_names={{_base_.unified_classes}},
    labellers=[
        dict(type='TeacherLabeller', start=0),
        dict(type='StudentLabeller', start=500, ema=0.99)
    ],
    teacher_input_size=(128, 128))
randomness = dict(seed=0, deterministic=False)
