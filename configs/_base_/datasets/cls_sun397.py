# SUN397 through mmpretrain's `SUN397` (its folder layout, see the
# mmpretrain docs); ID / OOD classes from the packaged `sun397` split.
# The fallback when the authors' image lists are absent: the paper's own
# classes and images are in cls_li2023_sun397.py.
_base_ = './cls_common.py'
class_split = 'sun397'
data_root = 'data/SUN397'
train_dataloader = dict(
    dataset=dict(
        class_split=class_split,
        dataset=dict(type='SUN397', data_root=data_root, split='train')))
val_dataloader = dict(
    dataset=dict(
        class_split=class_split,
        dataset=dict(type='SUN397', data_root=data_root, split='test')))
test_dataloader = val_dataloader
val_evaluator = dict(class_split=class_split)
test_evaluator = val_evaluator
