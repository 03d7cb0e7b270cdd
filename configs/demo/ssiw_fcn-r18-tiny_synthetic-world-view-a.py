# The control of ssiw_fcn-r18-tiny_synthetic-world-views.py: the same
# student, classes (all 9, by their texts) and schedule, trained on dataset
# "a" alone: its loss over a's classes only, its background kept as
# labelled, no pseudo-labels. What a alone teaches of the other's classes.
_base_ = ['./ssiw_fcn-r18-tiny_synthetic-world-views.py']
model = dict(labellers=[])
# (a has no "hoop": b's synonym is not a's to give)
train_dataloader = dict(
    dataset=dict(
        synonyms=[],
        datasets=[
            dict(name='a', dataset={{_base_.view_a}}, silent=['background'])
        ]))
