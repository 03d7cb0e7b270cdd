# The inductive ZegCLIP of the world distilled into the tiny FCN: the
# student learns the seen objects from labels and the unseen ones (square,
# ring, diamond: unlabeled in its scenes) from the trained ZegCLIP's
# predictions, MaskCLIP+'s path with a stronger teacher; it then segments
# all 8 without CLIP's image tower. The world CLIP's text tower names the
# classes. Train ZegCLIP first (tools/train.py
# configs/demo/zegclip_vit-world_synthetic-world.py); tools/zegclip_world.py
# runs both, per seed.
_base_ = [
    '../_base_/models/fcn_r18-tiny_text.py',
    '../_base_/models/world_clip_vit_teacher.py',
    '../_base_/datasets/synthetic_world_objects.py',
    '../_base_/default_runtime.py', '../_base_/schedules/schedule_1k.py'
]
zegclip_work_dir = 'work_dirs/zegclip_vit-world_synthetic-world'
model = dict(
    _delete_=True,
    type='PseudoLabelDistiller',
    data_preprocessor={{_base_.data_preprocessor}},
    student={{_base_.model}},
    teacher={{_base_.teacher}},
    class_names={{_base_.class_names}},
    unseen_idx={{_base_.unseen_idx}},
    labellers=[
        dict(
            type='SegmentorLabeller',
            start=0,
            config=zegclip_work_dir + '/zegclip_vit-world_synthetic-world.py',
            checkpoint=zegclip_work_dir + '/iter_2000.pth')
    ])
randomness = dict(seed=0, deterministic=False)
