# Stanford Cars through mmpretrain's `StanfordCars` (its folder layout, see the
# mmpretrain docs); ID / OOD classes from the packaged `stanford_cars` split.
# The fallback when the authors' image lists are absent: the paper's own
# classes and images are in cls_li2023_stanford-cars.py.
_base_ = './cls_common.py'
class_split = 'stanford_cars'
data_root = 'data/stanfordcars'
train_dataloader = dict(
    dataset=dict(
        class_split=class_split,
        dataset=dict(type='StanfordCars', data_root=data_root, split='train')))
val_dataloader = dict(
    dataset=dict(
        class_split=class_split,
        dataset=dict(type='StanfordCars', data_root=data_root, split='test')))
test_dataloader = val_dataloader
val_evaluator = dict(class_split=class_split)
test_evaluator = val_evaluator
