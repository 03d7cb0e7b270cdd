# Fully supervised tiny FCN on the synthetic world: the foundation demo.
_base_ = [
    '../_base_/models/fcn_r18-tiny.py',
    '../_base_/datasets/synthetic_world.py', '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_1k.py'
]
randomness = dict(seed=0, deterministic=False)
