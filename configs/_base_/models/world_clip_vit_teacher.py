# The embedded world's ViT CLIP (8 px patches on the 64 px scenes: an 8x8
# map), trained contrastively on scene captions like the RN one
# (tools/pretrain_world_clip.py --arch vit; tools/zegclip_world.py does it).
world_clip_vit_checkpoint = \
    '{{$VLKD_CACHE:~/.cache/vlkd_seg}}/world_clip/world_clip_vit.pt'
missing_weights_hint = (
    "The world's ViT CLIP is trained by `python tools/zegclip_world.py` or "
    '`python tools/pretrain_world_clip.py --arch vit`.')
# the architecture file beside the recipes, found from any working folder
teacher = dict(
    type='CLIPTeacher',
    model_name='{{fileDirname}}/../../demo/world_clip_vit.json',
    checkpoint=world_clip_vit_checkpoint,
    templates='single')
