# Weakly supervised segmentation from image tags on MS COCO 2014, CLIP-ES
# style (release: 45.4 val mIoU, DeepLabV2-R101 ImageNet init): the VOC
# recipe's teacher, CRF and threshold with COCO's 81 classes and CLIP-ES's
# COCO background texts.
_base_ = [
    '../_base_/models/clip-es_vit-b16_deeplabv2-r101.py',
    '../_base_/datasets/coco2014_object.py', '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_80k.py'
]
# CLIP-ES's COCO background texts (no 'keyboard' or 'sign')
coco_background = [
    'ground', 'land', 'grass', 'tree', 'building', 'wall', 'sky', 'lake',
    'water', 'river', 'sea', 'railway', 'railroad', 'helmet', 'cloud', 'house',
    'mountain', 'ocean', 'road', 'rock', 'street', 'valley', 'bridge'
]
model = dict(
    data_preprocessor=dict(size={{_base_.crop_size}}),
    class_names='coco_object81_clip-es',  # CLIP-ES's COCO class texts
    labellers=[
        dict(
            type='TeacherLabeller',
            start=0,
            background_texts=coco_background,
            refiners={{_base_.clip_es_refiners}})
    ])
train_dataloader = dict(
    batch_size=4, dataset=dict(pipeline={{_base_.image_tag_train_pipeline}}))
