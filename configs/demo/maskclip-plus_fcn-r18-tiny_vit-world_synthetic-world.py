# The control of zegclip-kd_fcn-r18-tiny_synthetic-world.py: the same
# student, scenes and schedule, its unseen pixels labelled by the
# training-free MaskCLIP teacher of the world's ViT CLIP (8x8 map of the
# 64 px scenes) instead of the trained ZegCLIP: what the pseudo-labels of
# a trained zero-shot model add.
_base_ = ['./zegclip-kd_fcn-r18-tiny_synthetic-world.py']
model = dict(labellers=[dict(type='TeacherLabeller', start=0)])
