# Frozen CLIP ViT-B/16 teacher (OpenAI weights; put ViT-B-16.pt in
# checkpoints/ or pass --cfg-options model.teacher.checkpoint=PATH).
teacher = dict(
    type='CLIPTeacher',
    model_name='ViT-B-16',
    checkpoint='checkpoints/ViT-B-16.pt',
    templates='maskclip')
