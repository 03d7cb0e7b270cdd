import torch
from mmengine.registry import init_default_scope
from mmengine.structures import PixelData
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample

NAMES = ['disc', 'square', 'star', 'ring', 'cross']
UNSEEN = [1, 3]


def zegclip_cfg(clip_configs, tmp_path, **kwargs):
    """A tiny ZegCLIP: the tests' ViT CLIP (D = 32, width 64, 2 blocks)."""
    vit = clip_configs['vit']
    cfg = dict(
        type='ZegCLIP',
        image_encoder=dict(
            type='PromptedCLIPViT', model_name=vit, num_tokens=3),
        text_encoder=dict(
            type='CLIPTeacher',
            model_name=vit,
            templates='single',
            text_cache_dir=str(tmp_path / 'cache')),
        decode_head=dict(
            type='ZegCLIPHead',
            in_channels=32,
            num_layers=2,
            num_heads=4,
            ffn_channels=64,
            loss_decode=[
                dict(type='MaskFocalLoss', loss_weight=100.),
                dict(type='MaskDiceLoss', loss_weight=1.)
            ]),
        class_names=NAMES,
        unseen_idx=UNSEEN)
    cfg.update(kwargs)
    return cfg


def build_zegclip(clip_configs, tmp_path, **kwargs):
    init_default_scope('mmseg')
    torch.manual_seed(0)
    return MODELS.build(zegclip_cfg(clip_configs, tmp_path, **kwargs))


def make_samples(n=2, h=32, w=48, num_classes=5, seed=0):
    gen = torch.Generator().manual_seed(seed)
    labels = torch.randint(0, num_classes, (n, 1, h, w), generator=gen)
    labels[:, :, :2] = 255
    samples = [
        SegDataSample(
            metainfo=dict(
                img_shape=(h, w), pad_shape=(h, w), ori_shape=(h, w)),
            gt_sem_seg=PixelData(data=label)) for label in labels
    ]
    return torch.randn(n, 3, h, w, generator=gen), labels, samples
