# tiered-ImageNet's 448 classes (351 ID = its training classes, 97 OOD = its
# validation classes) as class folders; `python tools/make_tiered_imagenet.py
# IMAGENET_ROOT data/tiered_imagenet` links them from an ImageNet copy.
# The fallback when the authors' image lists are absent: the paper's own
# classes and images are in cls_li2023_tiered-imagenet.py.
_base_ = './cls_common.py'
class_split = 'tiered_imagenet'
data_root = 'data/tiered_imagenet'
train_dataloader = dict(
    dataset=dict(
        class_split=class_split,
        dataset=dict(
            type='CustomDataset', data_root=data_root, data_prefix='train')))
val_dataloader = dict(
    dataset=dict(
        class_split=class_split,
        dataset=dict(
            type='CustomDataset', data_root=data_root, data_prefix='val')))
test_dataloader = val_dataloader
val_evaluator = dict(class_split=class_split)
test_evaluator = val_evaluator
