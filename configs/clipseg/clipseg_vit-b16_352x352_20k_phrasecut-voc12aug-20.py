# CLIPSeg zero-shot on VOC-20 as the release's rd64-uni-zs5
# (experiments/pascal_0shot.yaml): trained on PhraseCut without the phrases
# that name one of the 5 unseen VOC classes (remove_classes [zs, 5]; the
# words below are vlkd_seg's list: names, plurals, synonyms), the
# PhraseCut recipe's conditions and optimisation, evaluated on VOC-20's
# seen and unseen classes in the semantic mode ('a photo of a {}.').
# Convert PhraseCut first: python tools/convert_phrasecut.py data/phrasecut
_base_ = ['./clipseg_vit-b16_352x352_20k_voc12aug-20.py']
phrase_meta_keys = ('img_path', 'seg_map_path', 'ori_shape', 'img_shape',
                    'pad_shape', 'scale_factor', 'flip', 'flip_direction',
                    'reduce_zero_label', 'phrase')
model = dict(
    class_template='a photo of a {}.',
    train_cfg=dict(prompt_templates=[
        'a photo of {}.', 'a photograph of {}.', 'an image of {}.', '{}.',
        'a cropped photo of {}.', 'a good photo of {}.', 'a photo of one {}.',
        'a bad photo of {}.', 'a photo of the {}.'
    ]))
train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='PhraseMaskDataset',
        data_root='data/phrasecut',
        ann_file='train.jsonl',
        negative_prob=0.2,
        exclude_words=[
            'potted plant', 'potted plants', 'plant', 'plants', 'sheep',
            'lamb', 'lambs', 'sofa', 'sofas', 'couch', 'couches', 'train',
            'trains', 'tv', 'tvs', 'television', 'televisions', 'monitor',
            'monitors', 'tv monitor'
        ],
        pipeline=[
            dict(type='LoadImageFromFile'),
            dict(type='LoadPhraseMask'),
            dict(
                type='RandomResize',
                scale={{_base_.crop_size}},
                ratio_range=(1.0, 1.5),
                keep_ratio=False),
            dict(type='RandomCrop', crop_size={{_base_.crop_size}}),
            dict(type='PackSegInputs', meta_keys=phrase_meta_keys)
        ]))
