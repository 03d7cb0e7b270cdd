# The release's 'kspd' variant (anno_free/maskclip_plus_kspd_vit16_...): the
# teacher's labels refined by prompt denoising, then key smoothing,
# before the student learns from them.
_base_ = \
    './maskclip-plus_vit-b16_deeplabv2-r101_512x512_8k_coco-stuff164k.py'
model = dict(
    teacher=dict(key_smoothing_thresh=1.0, prompt_denoising_thresh=0.5))
