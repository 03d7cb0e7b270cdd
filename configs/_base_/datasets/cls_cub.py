# CUB-200-2011 through mmpretrain's `CUB` (its folder layout, see the
# mmpretrain docs); ID / OOD classes from the packaged `cub` split.
# The fallback when the authors' image lists are absent: the paper's own
# classes and images are in cls_li2023_cub.py.
_base_ = './cls_common.py'
class_split = 'cub'
data_root = 'data/CUB_200_2011'
train_dataloader = dict(
    dataset=dict(
        class_split=class_split,
        dataset=dict(type='CUB', data_root=data_root, split='train')))
val_dataloader = dict(
    dataset=dict(
        class_split=class_split,
        dataset=dict(type='CUB', data_root=data_root, split='test')))
test_dataloader = val_dataloader
val_evaluator = dict(class_split=class_split)
test_evaluator = val_evaluator
