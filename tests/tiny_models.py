"""Tiny stand-ins for the CLIPs and models of the recipes: small enough to
build in a test, the structure (heads, distiller, classifier) kept."""
import copy
import os.path as osp

import torch

TINY_VIT = dict(
    embed_dim=32,
    vision_cfg=dict(
        image_size=32, layers=2, width=64, head_width=32, patch_size=8),
    text_cfg=dict(
        context_length=16, vocab_size=49408, width=32, heads=2, layers=1))
TINY_RN = dict(
    embed_dim=32,
    vision_cfg=dict(
        image_size=64,
        layers=[1, 1, 1, 1],
        width=16,
        head_width=32,
        patch_size=None),
    text_cfg=dict(
        context_length=16, vocab_size=49408, width=32, heads=2, layers=1))


def tiny_recipe_model(model, clip_configs):
    """A recipe's model config made small enough to build in a test.

    Every CLIP teacher becomes the tiny RN (or, for ViT teachers, the tiny
    ViT) of ``clip_configs`` with random weights, and so does ZegCLIP's
    prompted image tower (ViT); text heads embed into its 32 dimensions;
    ResNet students get depth 18 and no pretrained weights; SyncBN becomes
    BN. The structure (heads, distiller, classifier) stays
    the recipe's.
    """
    from vlkd_seg.utils import replace_sync_bn
    model = replace_sync_bn(copy.deepcopy(model))
    for teacher in find_configs(model, 'CLIPTeacher'):
        vit = 'vit' in str(teacher['model_name']).lower()
        teacher.update(
            model_name=clip_configs['vit' if vit else 'rn'],
            checkpoint=None,
            templates='single',
            text_cache_dir='')
    for encoder in find_configs(model, 'PromptedCLIPViT'):
        encoder.update(model_name=clip_configs['vit'], checkpoint=None)
    for head in find_configs(model, 'ZegCLIPHead'):
        head.update(in_channels=32, ffn_channels=64)
    for clipseg in find_configs(model, 'CLIPSeg'):  # published or plain
        clipseg.update(
            weights=None,
            clip=dict(model_name=clip_configs['vit'], checkpoint=None),
            extract_layers=(0, 1),
            decode_head=dict(
                type='CLIPSegHead', channels=16, num_heads=2, ffn_channels=32))
    for prompts in find_configs(model, 'LearnedPrompts'):  # 16 tokens
        prompts.update(n_ctx=2, n_task_ctx=1)
        if prompts.get('checkpoint') and not osp.isfile(prompts['checkpoint']):
            prompts['checkpoint'] = _tiny_prompts(prompts, clip_configs)
    for freeseg in find_configs(model, 'FreeSeg'):
        _tiny_freeseg(freeseg)
    for labeller in find_configs(model, 'SegmentorLabeller'):
        labeller['config'] = _tiny_zegclip_recipe(clip_configs)
    for student in find_configs(model, 'TextEncoderDecoder'):
        student['embed_dim'] = student['decode_head']['num_classes'] = 32
        if (student.get('classifier') or {}).get('mode') == 'dot':
            student['decode_head']['channels'] = 32  # features = embeddings
    student = model.get('student', model)
    backbone = student.get('backbone', {})
    if backbone.get('type') == 'ResNetV1c' and backbone.get('depth') != 18:
        backbone.update(depth=18, init_cfg=None)
        head = student['decode_head']
        if head['type'] == 'LSegHead':
            head['in_channels'] = [64, 128, 256, 512]
        else:
            head['in_channels'] = 512
            if head.get('c1_in_channels'):
                head['c1_in_channels'] = 64
    return model


def _tiny_prompts(prompts, clip_configs) -> str:
    """A stand-in stage-1 checkpoint (zero vectors) of the tiny CLIPs'
    text towers, for a recipe whose prompts file is not there."""
    n_task = prompts['n_task_ctx'] if prompts.get('task') else 0
    width = TINY_VIT['text_cfg']['width']  # the tiny RN's is the same
    path = osp.join(
        osp.dirname(clip_configs['vit']),
        f'prompts_{prompts["n_ctx"]}_{n_task}.pth')
    if not osp.isfile(path):
        torch.save(
            dict(
                state_dict={
                    'prompts.ctx': torch.zeros(prompts['n_ctx'], width),
                    'prompts.task_ctx': torch.zeros(n_task, width)
                }), path)
    return path


def _tiny_freeseg(model):
    """FreeSeg on a 16-channel ResNet-18 with a 32-channel Mask2Former of
    one pixel-decoder and two decoder layers, 8 queries."""
    model['backbone'].update(
        depth=18, stem_channels=16, base_channels=16, init_cfg=None)
    head = model['decode_head']
    head.update(
        in_channels=[16, 32, 64, 128],
        feat_channels=32,
        out_channels=32,
        num_queries=8,
        class_embed_hidden=32)
    head['train_cfg']['num_points'] = 64
    pixel = head['pixel_decoder']
    pixel['norm_cfg'] = dict(type='GN', num_groups=8)
    pixel['encoder']['num_layers'] = 1
    pixel['encoder']['layer_cfg']['self_attn_cfg'].update(
        embed_dims=32, num_heads=2)
    pixel['encoder']['layer_cfg']['ffn_cfg'].update(
        embed_dims=32, feedforward_channels=64)
    pixel['positional_encoding']['num_feats'] = 16
    head['positional_encoding']['num_feats'] = 16
    decoder = head['transformer_decoder']
    decoder['num_layers'] = 2
    for attn in ('self_attn_cfg', 'cross_attn_cfg'):
        decoder['layer_cfg'][attn].update(embed_dims=32, num_heads=2)
    decoder['layer_cfg']['ffn_cfg'].update(
        embed_dims=32, feedforward_channels=64)


def _tiny_zegclip_recipe(clip_configs):
    """A recipe file of a tiny trained-segmentor stand-in (ZegCLIP on the
    tiny ViT), beside the tiny CLIP configs."""
    from mmengine.config import Config
    path = osp.join(osp.dirname(clip_configs['vit']), 'tiny_zegclip.py')
    if not osp.isfile(path):
        vit = clip_configs['vit']
        Config(
            dict(
                model=dict(
                    type='ZegCLIP',
                    image_encoder=dict(
                        type='PromptedCLIPViT', model_name=vit, num_tokens=2),
                    text_encoder=dict(
                        type='CLIPTeacher',
                        model_name=vit,
                        templates='single',
                        text_cache_dir=''),
                    decode_head=dict(
                        type='ZegCLIPHead',
                        in_channels=32,
                        num_layers=1,
                        num_heads=4,
                        ffn_channels=64),
                    class_names=['a'],
                    unseen_idx=[]))).dump(path)
    return path


def find_configs(node, *types):
    """Every config dict under ``node`` whose ``type`` is one of ``types``."""
    if isinstance(node, dict):
        if node.get('type') in types:
            yield node
        for value in node.values():
            yield from find_configs(value, *types)
    elif isinstance(node, (list, tuple)):
        for value in node:
            yield from find_configs(value, *types)
