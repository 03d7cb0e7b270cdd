# Food-101 through mmpretrain's `Food101` (its folder layout, see the
# mmpretrain docs); ID / OOD classes from the packaged `food101` split.
_base_ = './cls_common.py'
class_split = 'food101'
data_root = 'data/food-101'
train_dataloader = dict(
    dataset=dict(
        class_split=class_split,
        dataset=dict(type='Food101', data_root=data_root, split='train')))
val_dataloader = dict(
    dataset=dict(
        class_split=class_split,
        dataset=dict(type='Food101', data_root=data_root, split='test')))
test_dataloader = val_dataloader
val_evaluator = dict(class_split=class_split)
test_evaluator = val_evaluator
