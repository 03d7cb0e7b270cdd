# Training-free MaskCLIP with a frozen CLIP ViT-B/16 (OpenAI weights).
# Put OpenAI's ViT-B-16.pt in checkpoints/ or override teacher.checkpoint.
clip_checkpoint = 'checkpoints/ViT-B-16.pt'
data_preprocessor = dict(
    type='SegDataPreProcessor',
    # open_clip.OPENAI_DATASET_MEAN / STD, in 0-255 pixel units
    mean=[122.771, 116.746, 104.094],
    std=[68.501, 66.632, 70.323],
    bgr_to_rgb=True,
    pad_val=0,
    seg_pad_val=255)
model = dict(
    type='MaskCLIPSegmentor',
    data_preprocessor=data_preprocessor,
    teacher=dict(
        type='CLIPTeacher',
        model_name='ViT-B-16',
        checkpoint=clip_checkpoint,
        templates='maskclip'),
    # whole-image inference, as the MaskCLIP release evaluates it (and as
    # the students are evaluated); mode='slide' is one override away
    test_cfg=dict(mode='whole'))
