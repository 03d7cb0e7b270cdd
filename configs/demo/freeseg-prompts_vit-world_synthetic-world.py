# FreeSeg's stage 1 on the embedded world: prompt context vectors for the
# world's ViT CLIP, learned on the masked crops of the seen objects of the
# inductive scenes (the unseen ones never seen), CLIP frozen; the release's
# SGD schedule scaled to 1,000 iterations of 16 scenes. The world CLIP
# reads 20 tokens (its captions are short): 4 context vectors and no task
# prompt where the release has 16 and a task prompt of 11 tokens. Tested
# as MaskCLIP with the learned texts. Stage 2 loads them:
# configs/demo/freeseg-learned_r18-tiny_vit-world_synthetic-world.py.
_base_ = [
    '../_base_/models/world_clip_vit_teacher.py',
    '../_base_/datasets/synthetic_world_objects_inductive.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/freeseg_prompts_3200.py'
]
model = dict(
    type='PromptLearner',
    data_preprocessor=dict(
        type='SegDataPreProcessor',
        mean=[122.771, 116.746, 104.094],
        std=[68.501, 66.632, 70.323],
        bgr_to_rgb=True,
        pad_val=0,
        seg_pad_val=255,
        size=(64, 64)),
    teacher={{_base_.teacher}},
    class_names={{_base_.class_names}},
    unseen_idx={{_base_.unseen_idx}},
    prompts=dict(type='LearnedPrompts', n_ctx=4, task=None),
    region_classifier=dict(type='CLIPRegionClassifier', mode='crop'),
    test_cfg=dict(mode='whole'))
param_scheduler = [
    dict(type='ConstantLR', factor=0.005, begin=0, end=100, by_epoch=False),
    dict(
        type='CosineAnnealingLR',
        eta_min=0.,
        begin=100,
        end=1000,
        by_epoch=False)
]
train_cfg = dict(max_iters=1000, val_interval=1000)
default_hooks = dict(checkpoint=dict(interval=1000))
