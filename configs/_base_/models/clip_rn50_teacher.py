# Frozen CLIP ResNet-50 teacher (OpenAI weights; put RN50.pt in
# checkpoints/ or pass --cfg-options model.teacher.checkpoint=PATH).
teacher = dict(
    type='CLIPTeacher',
    model_name='RN50',
    checkpoint='checkpoints/RN50.pt',
    templates='maskclip')
