# MaskCLIP with its test-time refinements: key smoothing and prompt
# denoising (Zhou et al. 2022, Sec. 3.2).
_base_ = './maskclip_vit-b16_pascal-context.py'
model = dict(refiners=[
    dict(type='PromptDenoising', thresh=0.5),
    dict(type='KeySmoothing', thresh=1.0, project_keys=True)
])
