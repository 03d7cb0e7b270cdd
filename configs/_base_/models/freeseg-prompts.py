# FreeSeg's stage 1 (release: ProposalClipClassifier with its learnable
# prompt extractor): 16 context vectors after the start token and the task
# prompt before it ('semantic segmentation.' and 8 learned vectors),
# learned on the masked crops of ground-truth regions (the image outside
# the mask at CLIP's mean pixel, the mask's box resized to CLIP's input)
# classified by 100 * cos against the prompted seen texts; CLIP frozen.
# A recipe adds the teacher, class names and unseen classes.
model = dict(
    type='PromptLearner',
    data_preprocessor=dict(
        type='SegDataPreProcessor',
        mean=[122.771, 116.746, 104.094],
        std=[68.501, 66.632, 70.323],
        bgr_to_rgb=True,
        pad_val=0,
        seg_pad_val=255),
    prompts=dict(
        type='LearnedPrompts',
        n_ctx=16,
        task='semantic segmentation.',
        n_task_ctx=8),
    region_classifier=dict(type='CLIPRegionClassifier', mode='crop'),
    logit_scale=100.,
    test_cfg=dict(mode='whole'))
