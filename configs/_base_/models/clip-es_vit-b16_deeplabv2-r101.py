# CLIP-ES style weak supervision (Lin et al., CVPR 2023; release
# linyq2117/CLIP-ES): a frozen CLIP ViT-B/16 labels each pixel with the most
# likely of its image's tagged classes and background (softmax over them and
# CLIP-ES's background texts, prompt 'a clean origami {}.'), refined by the
# ViT's attention affinity (CLIP-ES's CAA: last 8 blocks, boxes at 0.4) and
# by a CRF on the image colours (CLIP-ES's dCRF weights and scales; pairwise
# terms within +-20 px, every 4th pixel, and the 8 nearest) and ignored below
# 0.95 confidence (CLIP-ES's confidence-guided loss), for the whole run (no
# self-training: CLIP-ES trains on fixed pseudo-masks). The student is the
# DeepLabV2-R101 of deeplabv2_r101-d8_text.py at the ViT's 512 dimensions.
# Recipes give class_names (background first) and the dataset.
_base_ = ['./maskclip-plus-release_deeplabv2-r101_rn50.py']
# CLIP-ES's VOC background texts (clip_text.py, BACKGROUND_CATEGORY)
clip_es_background = [
    'ground', 'land', 'grass', 'tree', 'building', 'wall', 'sky', 'lake',
    'water', 'river', 'sea', 'railway', 'railroad', 'keyboard', 'helmet',
    'cloud', 'house', 'mountain', 'ocean', 'road', 'rock', 'street', 'valley',
    'bridge', 'sign'
]
# CLIP-ES's refinement: class-aware attention affinity, then the dense CRF
clip_es_refiners = [
    dict(type='AttentionAffinity', layers=8, box_thresh=0.4),
    dict(
        type='LocalCRF',
        iters=10,
        radius=5,
        dilation=4,
        bi_w=4.,
        bi_xy_std=67.,
        bi_rgb_std=3.,
        pos_w=3.,
        pos_xy_std=1.)
]
model = dict(
    teacher=dict(
        model_name='ViT-B-16',
        checkpoint='checkpoints/ViT-B-16.pt',
        templates=['a clean origami {}.']),
    student=dict(
        embed_dim=512, decode_head=dict(channels=512, num_classes=512)),
    unseen_idx='all',
    image_tags=True,
    background_idx=0,
    labellers=[
        dict(
            type='TeacherLabeller',
            start=0,
            background_texts=clip_es_background,
            refiners=clip_es_refiners)
    ],
    confidence_thresh=0.95)
