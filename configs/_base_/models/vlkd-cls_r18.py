# Student classifier of Li et al. (2023): ResNet-18 from scratch -> linear to
# the CLIP dimension -> cosine against the teacher's class texts
# (T = 0.07), trained with their full method: L_cls + L_mse + L_im-cst +
# L_vlprox (k = 256, clamped to the class count; teacher-misclassified
# samples dropped), weights 1. The recipe sets the teacher and the split.
losses = [
    dict(loss='clip_classification_loss'),
    dict(loss='feature_mse_loss'),
    dict(loss='image_contrastive_loss'),
    dict(loss='vl_proximal_loss', k=256),
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
