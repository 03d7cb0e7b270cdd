# Oxford Flowers-102 through mmpretrain's `Flowers102` (its folder layout, see
# mmpretrain docs); ID / OOD classes from the packaged `flowers102` split.
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
