# Food-101 through mmpretrain's `Food101` (its folder layout, see the
# mmpretrain docs); ID / OOD classes from the packaged `food101` split.
# The fallback when the authors' image lists are absent: the paper's own
# classes and images are in cls_li2023_food101.py.
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
