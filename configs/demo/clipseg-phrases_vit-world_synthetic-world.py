# CLIPSeg trained on phrases of the embedded world, as the release trains on
# PhraseCut: each training pair is a scene and a phrase of its captions'
# words ("a disc", "a disc and a star", vlkd_seg.datasets.world_phrases)
# with the mask it names, 20 % of them drawn as negatives (another
# phrase, empty mask), in the release's random templates and mixed with the
# phrase's image prompt (text weight U(0, 0.5)). Inductive: no scene with
# an unseen object (square, ring, diamond) and no phrase of one. Same CLIP,
# head, optimisation and test (the semantic mode, one prompt per class,
# "a photo of a {}.") as the class-name recipe.
_base_ = ['./clipseg_vit-world_synthetic-world.py']
phrase_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadPhraseMask'),
    dict(type='RandomFlip', prob=0.5),
    dict(
        type='PackSegInputs',
        meta_keys=('img_path', 'seg_map_path', 'ori_shape', 'img_shape',
                   'pad_shape', 'scale_factor', 'flip', 'flip_direction',
                   'reduce_zero_label', 'phrase'))
]
model = dict(
    class_template='a photo of a {}.',
    train_cfg=dict(prompt_templates=[
        'a photo of {}.', 'a photograph of {}.', 'an image of {}.', '{}.',
        'a good photo of {}.', 'a photo of {}'
    ]))
train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='PhraseMaskDataset',
        data_root={{_base_.data_root}},
        ann_file='phrases/train.jsonl',
        negative_prob=0.2,
        pipeline=phrase_pipeline))
