# ZegCLIP (Zhou et al., CVPR 2023; release ZiqinZhou66/ZegCLIP): a frozen
# CLIP ViT-B/16 with deep visual prompts (10 tokens per block for VOC, 100
# for COCO), the relationship-descriptor decoder (3 layers, 8 heads) and
# 100 x focal + 1 x dice mask losses. Put OpenAI's ViT-B-16.pt in
# checkpoints/ or override image_encoder / text_encoder.checkpoint.
clip_checkpoint = 'checkpoints/ViT-B-16.pt'
data_preprocessor = dict(
    type='SegDataPreProcessor',
    # the release normalises with ImageNet's mean and std, not CLIP's
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    bgr_to_rgb=True,
    pad_val=0,
    seg_pad_val=255)
model = dict(
    type='ZegCLIP',
    data_preprocessor=data_preprocessor,
    image_encoder=dict(
        type='PromptedCLIPViT',
        model_name='ViT-B-16',
        checkpoint=clip_checkpoint,
        num_tokens=10,
        prompt_dropout=0.1,
        pos_interp='bilinear'),
    text_encoder=dict(
        type='CLIPTeacher',
        model_name='ViT-B-16',
        checkpoint=clip_checkpoint,
        templates='single'),
    decode_head=dict(
        type='ZegCLIPHead',
        in_channels=512,
        num_layers=3,
        num_heads=8,
        ffn_channels=2048,
        attn_dropout=0.1,
        align_corners=False,
        loss_decode=[
            dict(type='MaskFocalLoss', alpha=0.25, gamma=2., loss_weight=100.),
            dict(type='MaskDiceLoss', loss_weight=1.)
        ]),
    seen_score_offset=0.1,
    test_cfg=dict(mode='slide', crop_size=(512, 512), stride=(426, 426)))
