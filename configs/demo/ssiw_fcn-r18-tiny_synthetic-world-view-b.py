# The control of ssiw_fcn-r18-tiny_synthetic-world-views.py: the same
# student, classes (all 9, by their texts) and schedule, trained on dataset
# "b" alone: its loss over b's classes only, its background kept as
# labelled, no pseudo-labels. What b alone teaches of the other's classes.
_base_ = ['./ssiw_fcn-r18-tiny_synthetic-world-views.py']
model = dict(labellers=[])
train_dataloader = dict(
    dataset=dict(datasets=[
        dict(name='b', dataset={{_base_.view_b}}, silent=['background'])
    ]))
