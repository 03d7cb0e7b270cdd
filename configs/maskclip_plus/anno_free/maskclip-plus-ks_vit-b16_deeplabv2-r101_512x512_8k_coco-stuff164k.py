# The release's 'ks' variant (anno_free/maskclip_plus_ks_vit16_...): the
# teacher's labels refined by key smoothing before the student
# learns from them.
_base_ = \
    './maskclip-plus_vit-b16_deeplabv2-r101_512x512_8k_coco-stuff164k.py'
model = dict(labellers=[
    dict(
        type='TeacherLabeller',
        start=0,
        refiners=[dict(type='KeySmoothing', thresh=1.0, project_keys=True)])
])
