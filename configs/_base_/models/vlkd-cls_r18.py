# Student classifier of Li et al. (2023): ResNet-18 -> linear to the CLIP
# dimension -> cosine against the teacher's class texts (T = 0.07), trained
# with L_cls + L_im-cst + L_vlprox (weights 1). The recipe sets the teacher
# and the class split.
losses = [
    dict(loss='clip_classification_loss'),
    dict(loss='image_contrastive_loss'),
    dict(loss='vl_proximal_loss', k=5),
]
model = dict(
    type='VLDistillClassifier',
    backbone=dict(type='ResNet', depth=18),
    neck=dict(type='GlobalAveragePooling'),
    in_channels=512,
    losses=losses,
    enriched_labels=True,
    data_preprocessor=dict(
        # CLIP's mean / std, in 0-255 pixels, BGR files to RGB
        mean=[122.77, 116.75, 104.09],
        std=[68.50, 66.63, 70.32],
        to_rgb=True))
