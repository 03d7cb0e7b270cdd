# Pascal Context-60 (59 classes + background). Zero-shot split (ZS3 /
# MaskCLIP+): unseen = cow, motorbike, sofa, cat, boat, fence, bird,
# tv monitor, keyboard, aeroplane.
# three label settings; pick one in a recipe with
# train_dataloader = dict(dataset=dict(pipeline={{_base_.<name>}}))
# mmseg's own base, with the split added.
_base_ = 'mmseg::_base_/datasets/pascal_context.py'
class_names = 'context60'  # vlkd_seg/utils/class_names/context60.txt
unseen_idx = [20, 34, 49, 15, 8, 25, 7, 55, 32, 1]
# the split travels with the data: ZeroShotIoUMetric reads it from
# dataset_meta; recipes hand class_names / unseen_idx to their model
metainfo = dict(unseen_idx=unseen_idx)
train_dataloader = dict(dataset=dict(metainfo=metainfo))
val_dataloader = dict(dataset=dict(metainfo=metainfo))
test_dataloader = val_dataloader
val_evaluator = dict(_delete_=True, type='ZeroShotIoUMetric')
test_evaluator = val_evaluator
