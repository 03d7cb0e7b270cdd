# MaskCLIP with its test-time refinements: key smoothing and prompt
# denoising (Zhou et al. 2022, Sec. 3.2).
_base_ = './maskclip_vit-b16_pascal-context.py'
model = dict(
    teacher=dict(key_smoothing_thresh=1.0, prompt_denoising_thresh=0.5))
