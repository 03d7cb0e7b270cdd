# Pascal Context-59 (background ignored). Zero-shot split: the Context-60
# unseen classes shifted by one (cow, motorbike, sofa, cat, boat, fence,
# bird, tv monitor, keyboard, aeroplane).
# three label settings; pick one in a recipe with
# train_dataloader = dict(dataset=dict(pipeline={{_base_.<name>}}))
# mmseg's own base, with the split added.
_base_ = 'mmseg::_base_/datasets/pascal_context_59.py'
class_names = 'context59'  # vlkd_seg/utils/class_names/context59.txt
unseen_idx = [19, 33, 48, 14, 7, 24, 6, 54, 31, 0]
# the split travels with the data: ZeroShotIoUMetric reads it from
# dataset_meta; recipes hand class_names / unseen_idx to their model
metainfo = dict(unseen_idx=unseen_idx)
train_dataloader = dict(dataset=dict(metainfo=metainfo))
val_dataloader = dict(dataset=dict(metainfo=metainfo))
test_dataloader = val_dataloader
val_evaluator = dict(_delete_=True, type='ZeroShotIoUMetric')
test_evaluator = val_evaluator
