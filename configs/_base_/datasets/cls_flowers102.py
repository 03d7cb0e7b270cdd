# Oxford Flowers-102 through mmpretrain's `Flowers102` (its folder layout, see
# mmpretrain docs); ID / OOD classes from the packaged `flowers102` split.
# The fallback when the authors' image lists are absent: the paper's own
# classes and images are in cls_li2023_flowers102.py.
_base_ = './cls_common.py'
class_split = 'flowers102'
data_root = 'data/flowers102'
train_dataloader = dict(
    dataset=dict(
        class_split=class_split,
        dataset=dict(type='Flowers102', data_root=data_root,
                     split='trainval')))
val_dataloader = dict(
    dataset=dict(
        class_split=class_split,
        dataset=dict(type='Flowers102', data_root=data_root, split='test')))
test_dataloader = val_dataloader
val_evaluator = dict(class_split=class_split)
test_evaluator = val_evaluator
