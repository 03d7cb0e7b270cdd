# MS COCO 2014 object segmentation, background + 80 things (82,081 train /
# 40,137 val images as listed by CLIP-ES's coco14/{train,val}.txt):
#   DATA_ROOT/JPEGImages/{train2014,val2014}/COCO_*.jpg
#   DATA_ROOT/SegmentationClass/{train2014,val2014}/COCO_*.png
#   DATA_ROOT/{train,val}.txt  (one image name per line)
# (masks: 0 background, i = i-th thing class in COCO order)
_base_ = './pascal_voc12_aug-21.py'
dataset_type = 'COCOObjectDataset'
data_root = 'data/coco2014'
class_names = 'coco_object81'  # vlkd_seg/utils/class_names/coco_object81.txt
train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type=dataset_type,
        data_root=data_root,
        data_prefix=dict(
            img_path='JPEGImages/train2014',
            seg_map_path='SegmentationClass/train2014'),
        ann_file='train.txt',
        pipeline={{_base_.train_pipeline}}))
val_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type=dataset_type,
        data_root=data_root,
        data_prefix=dict(
            img_path='JPEGImages/val2014',
            seg_map_path='SegmentationClass/val2014'),
        ann_file='val.txt',
        pipeline={{_base_.test_pipeline}}))
test_dataloader = val_dataloader
