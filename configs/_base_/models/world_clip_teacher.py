# The embedded world's CLIP teacher: a small ModifiedResNet CLIP trained
# contrastively on scene captions by tools/pretrain_world_clip.py (the demo
# does it), read at 128 px (stride 32 -> 4x4 dense features).
world_clip_checkpoint = \
    '{{$VLKD_CACHE:~/.cache/vlkd_seg}}/world_clip/world_clip_rn.pt'
# said by the pre-flight check when the checkpoint is missing
missing_weights_hint = (
    "The embedded world's teacher is trained by `make demo` or `python "
    'tools/pretrain_world_clip.py`, or pass --cfg-options '
    'model.teacher.checkpoint=PATH.')
# the architecture file beside the recipes, found from any working folder
teacher = dict(
    type='CLIPTeacher',
    model_name='{{fileDirname}}/../../demo/world_clip_rn.json',
    checkpoint=world_clip_checkpoint,
    templates='single')
