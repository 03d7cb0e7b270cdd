# COCO-Stuff-164k, 171 classes. Zero-shot split (SPNet / MaskCLIP+): unseen =
# cow, giraffe, suitcase, frisbee, skateboard, carrot, scissors, cardboard,
# clouds, grass, playing field, river, road, tree, concrete wall.
# three label settings; pick one in a recipe with
# train_dataloader = dict(dataset=dict(pipeline={{_base_.<name>}}))
# mmseg's own base, with the split added.
_base_ = 'mmseg::_base_/datasets/coco-stuff164k.py'
class_names = 'coco_stuff171'  # vlkd_seg/utils/class_names/coco_stuff171.txt
unseen_idx = [19, 23, 28, 29, 36, 51, 76, 88, 94, 112, 133, 136, 137, 157, 160]
# the split travels with the data: ZeroShotIoUMetric reads it from
# dataset_meta; recipes hand class_names / unseen_idx to their model
metainfo = dict(unseen_idx=unseen_idx)
train_dataloader = dict(dataset=dict(metainfo=metainfo))
val_dataloader = dict(dataset=dict(metainfo=metainfo))
test_dataloader = val_dataloader
val_evaluator = dict(_delete_=True, type='ZeroShotIoUMetric')
test_evaluator = val_evaluator
