# The release's 'kspd' variant (anno_free/maskclip_plus_kspd_vit16_...): the
# teacher's labels refined by prompt denoising, then key smoothing,
# before the student learns from them.
_base_ = \
    './maskclip-plus_vit-b16_deeplabv2-r101_480x480_4k_pascal-context-59.py'
model = dict(labellers=[
    dict(
        type='TeacherLabeller',
        start=0,
        refiners=[
            dict(type='PromptDenoising', thresh=0.5),
            dict(type='KeySmoothing', thresh=1.0, project_keys=True)
        ])
])
