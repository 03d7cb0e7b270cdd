# ADE20K (SceneParsing), 150 classes. No published MaskCLIP+ split: vlkd_seg
# fixes one by the rule 'class index i is unseen iff i % 10 == 9' (15 of 150,
# things and stuff alike): grass, chair, field, cushion, fireplace, stairway,
# bench, hovel, television receiver, buffet, swimming pool, ball, dishwasher,
# fan, flag. Do not change it: results are only comparable on one split.
# three label settings; pick one in a recipe with
# train_dataloader = dict(dataset=dict(pipeline={{_base_.<name>}}))
# mmseg's own base, with the split added.
_base_ = 'mmseg::_base_/datasets/ade20k.py'
class_names = 'ade150'  # vlkd_seg/utils/class_names/ade150.txt
unseen_idx = [9, 19, 29, 39, 49, 59, 69, 79, 89, 99, 109, 119, 129, 139, 149]
# the split travels with the data: ZeroShotIoUMetric reads it from
# dataset_meta; recipes hand class_names / unseen_idx to their model
metainfo = dict(unseen_idx=unseen_idx)
train_dataloader = dict(dataset=dict(metainfo=metainfo))
val_dataloader = dict(dataset=dict(metainfo=metainfo))
test_dataloader = val_dataloader
val_evaluator = dict(_delete_=True, type='ZeroShotIoUMetric')
test_evaluator = val_evaluator
