# CLIPSeg (Lüddecke & Ecker, CVPR 2022; release timojl/clipseg): a frozen
# CLIP ViT-B/16 read at blocks 3, 7 and 9 (transformers' published weights:
# 3, 6, 9), each reduced to 64 channels, FiLM on the prompt embedding, one
# transformer layer (4 heads, FFN 2048, ReLU, post-norm) per block and a
# 16x transposed convolution; BCE per (image, prompt). Put OpenAI's
# ViT-B-16.pt in checkpoints/ or override clip.checkpoint.
clip_checkpoint = 'checkpoints/ViT-B-16.pt'
data_preprocessor = dict(
    type='SegDataPreProcessor',
    # the release normalises with ImageNet's mean and std, not CLIP's
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    bgr_to_rgb=True,
    pad_val=0,
    seg_pad_val=255,
    size=(352, 352))
model = dict(
    type='CLIPSeg',
    data_preprocessor=data_preprocessor,
    clip=dict(model_name='ViT-B-16', checkpoint=clip_checkpoint),
    decode_head=dict(
        type='CLIPSegHead', channels=64, num_heads=4, ffn_channels=2048),
    extract_layers=(3, 7, 9),
    # the release's zero-shot training (experiments/pascal_0shot.yaml):
    # 'shuffle+' templates, the text mixed with a support image's embedding
    # at a text weight drawn from U(0, 0.5) per pair
    train_cfg=dict(
        prompt_templates=[
            'a photo of a {}.', 'a photograph of a {}.', 'an image of a {}.',
            '{}.', 'a cropped photo of a {}.', 'a good photo of a {}.',
            'a photo of one {}.', 'a bad photo of a {}.', 'a photo of the {}.'
        ],
        text_weight=(0., 0.5)),
    test_cfg=dict(mode='slide', crop_size=(352, 352), stride=(234, 234)))
