# CLIPSeg trained on PhraseCut as the release's rd64-uni
# (experiments/phrasecut.yaml): frozen CLIP ViT-B/16 at 352 px, blocks 3, 7,
# 9 reduced to 64, 'shuffle+' templates on each phrase, 20 % negatives,
# the text mixed with an image prompt of the phrase at a text weight from
# U(0, 0.5) (vlkd_seg: another image of the batch with the same phrase;
# the release draws one from the dataset), BCE; AdamW 1e-3, cosine to 1e-4
# over 20k iterations at batch 64 (16 x 4 GPUs: tools/dist_train.sh CONFIG
# 4 --amp, mixed precision as the release). Tested on PhraseCut's test
# split (foreground IoU at 0.5). The vocabulary (VOC-20) is the semantic
# mode's, for tools/infer.py without --prompt.
_base_ = [
    '../_base_/models/clipseg_vit-b16.py', '../_base_/datasets/phrasecut.py',
    '../_base_/default_runtime.py', '../_base_/schedules/clipseg_20k.py'
]
model = dict(
    class_names='voc20',
    class_template='a photo of a {}.',
    test_cfg=dict(mode='whole'),
    train_cfg=dict(prompt_templates=[
        'a photo of {}.', 'a photograph of {}.', 'an image of {}.', '{}.',
        'a cropped photo of {}.', 'a good photo of {}.', 'a photo of one {}.',
        'a bad photo of {}.', 'a photo of the {}.'
    ]))
