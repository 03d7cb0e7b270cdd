# Frozen CLIP ViT-L/14 teacher (768-d), the teacher of Li et al. (2023)
# (OpenAI weights; put ViT-L-14.pt in checkpoints/ or pass
# --cfg-options model.teacher.checkpoint=PATH).
teacher = dict(
    type='CLIPTeacher',
    model_name='ViT-L-14',
    checkpoint='checkpoints/ViT-L-14.pt',
    templates='maskclip')
