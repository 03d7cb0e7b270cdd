"""The models and steps ``tools/benchmark.py`` times: reference recipes
built with random weights, one callable per variant on one input."""
import copy
import io
import json
import os.path as osp
from typing import Callable, Dict, Tuple

import open_clip
import torch
from mmengine.registry import init_default_scope
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample

from vlkd_seg.classification import clip_classification_loss
from vlkd_seg.datasets import UNLABELED_INDEX
from vlkd_seg.models.teachers import clip_input_size
from vlkd_seg.utils import load_config, replace_sync_bn
from vlkd_seg.utils.random_state import get_random_state
from .paths import WORLD_CLIP_CONFIG

CONFIGS = osp.dirname(osp.dirname(WORLD_CLIP_CONFIG))
MASKCLIP_PLUS = ('kd/maskclip-plus_vit-b16_deeplabv3plus-r50_512x512_80k_'
                 'coco-stuff164k.py')
ZEGCLIP = 'zegclip/zegclip_vit-b16_512x512_20k_voc12aug-20.py'


def recipe_model(scope: str, config: str, arch: str) -> dict:
    """The model of a recipe under ``configs/`` with random-weight ``arch``
    CLIP parts, in the registry scope ``scope``."""
    init_default_scope(scope)
    model = replace_sync_bn(load_config(osp.join(CONFIGS, config)).model)
    for part in ('teacher', 'text_encoder', 'image_encoder'):
        if part in model:
            model[part].update(model_name=arch, checkpoint=None)
    for part in ('teacher', 'text_encoder'):
        if part in model:
            model[part].update(text_cache_dir='', templates='single')
    return model


def embed_dim(arch: str) -> int:
    """The CLIP dimension of an open_clip name or JSON model config."""
    if arch.endswith('.json'):
        with open(arch) as f:
            return json.load(f)['embed_dim']
    return open_clip.get_model_config(arch)['embed_dim']


def sgd_step(optimizer: torch.optim.Optimizer, losses: Dict) -> None:
    """Back-propagate the sum of the ``loss`` terms and step."""
    optimizer.zero_grad()
    sum(v for k, v in losses.items() if 'loss' in k).backward()
    optimizer.step()


def seg_samples(labels: torch.Tensor) -> list:
    """One SegDataSample per ``(1, H, W)`` label map."""
    shape = tuple(labels.shape[-2:])
    return [
        SegDataSample(
            metainfo=dict(img_shape=shape, pad_shape=shape, ori_shape=shape),
            gt_sem_seg=PixelData(data=label)) for label in labels
    ]


def maskclip_plus(arch: str, size: int):
    """A ViT-B/16 or RN50 MaskCLIP+ distiller around DeepLabV3+-R50; its
    second labeller (self-training) starts at 10**9."""
    from mmseg.registry import MODELS
    model = recipe_model('mmseg', MASKCLIP_PLUS, arch)
    model.student.backbone.init_cfg = None
    model.student.embed_dim = model.student.decode_head.num_classes = (
        embed_dim(arch))
    model.data_preprocessor.size = (size, size)
    model.labellers[1].start = 10**9
    return MODELS.build(model)


def distill_steps(arch: str,
                  size: int,
                  batch: int,
                  device: str = 'cpu') -> Dict[str, Callable]:
    """MaskCLIP+'s variants on one model and input: the student's step
    alone, the teacher forward, the distillation and self-training steps.
    """
    model = maskclip_plus(arch, size).to(device).train()
    inputs = torch.randn(batch, 3, size, size, device=device)
    labels = torch.randint(0, 171, (batch, 1, size, size), device=device)
    unseen = torch.tensor(model.unseen_idx, device=device)
    labels[torch.isin(labels, unseen)] = UNLABELED_INDEX
    samples = seg_samples(labels)
    plain = seg_samples(labels.masked_fill(labels == UNLABELED_INDEX, 255))
    optimizer = torch.optim.SGD(model.student.parameters(), lr=1e-4)

    def step(loss_fn, batch_samples, it=0):
        model.set_train_iter(it)
        sgd_step(optimizer, loss_fn(inputs, copy.deepcopy(batch_samples)))

    return dict(
        student=lambda: step(model.student.loss, plain),
        teacher=lambda: model.teacher_features(inputs),
        distill=lambda: step(model.loss, samples, 0),
        self=lambda: step(model.loss, samples, 10**9))


def checkpoint_steps(arch: str,
                     size: int) -> Tuple[Dict[str, Callable], Dict[str, int]]:
    """Saving the MaskCLIP+ DeepLabV3+-R50 student's checkpoint (weights,
    SGD momentum) without and with the random state ``RandomStateHook``
    adds: one callable each, and the bytes each writes."""
    model = maskclip_plus(arch, size)
    optimizer = torch.optim.SGD(
        model.student.parameters(), lr=1e-4, momentum=0.9)
    for param in model.student.parameters():
        param.grad = torch.zeros_like(param)
    optimizer.step()  # momentum buffers, as a saved run has them
    plain = dict(
        state_dict=model.state_dict(), optimizer=optimizer.state_dict())

    def save(with_state: bool) -> int:
        buffer = io.BytesIO()
        torch.save(
            dict(plain, random_state=get_random_state())
            if with_state else plain, buffer)
        return buffer.tell()

    fns = dict(plain=lambda: save(False), random_state=lambda: save(True))
    return fns, {name: fn() for name, fn in fns.items()}


def zegclip_steps(arch: str,
                  size: int,
                  batch: int,
                  device: str = 'cpu') -> Dict[str, Callable]:
    """Inductive ZegCLIP (VOC-20 recipe) beside the MaskCLIP+ student
    (DeepLabV3+-R50): a training step of each (AdamW on ZegCLIP's prompts
    and head, SGD on the student) and inference on the batch."""
    from mmseg.registry import MODELS
    model = recipe_model('mmseg', ZEGCLIP, arch)
    model.decode_head.in_channels = embed_dim(arch)
    zegclip = MODELS.build(model).to(device)
    student = maskclip_plus(arch, size).student.to(device)
    inputs = torch.randn(batch, 3, size, size, device=device)
    labels = torch.randint(0, 20, (batch, 1, size, size), device=device)
    samples = seg_samples(labels)
    metas = [s.metainfo for s in samples]
    zegclip_optim = torch.optim.AdamW(
        [p for p in zegclip.parameters() if p.requires_grad], lr=1e-5)
    student_optim = torch.optim.SGD(student.parameters(), lr=1e-4)

    def train(model, optimizer):
        model.train()
        sgd_step(optimizer, model.loss(inputs, copy.deepcopy(samples)))

    @torch.no_grad()
    def infer(model):
        model.eval()
        return model.encode_decode(inputs, metas)

    return dict(
        zegclip_step=lambda: train(zegclip, zegclip_optim),
        student_step=lambda: train(student, student_optim),
        zegclip_infer=lambda: infer(zegclip),
        student_infer=lambda: infer(student))


def clipseg_steps(arch: str,
                  size: int,
                  batch: int,
                  device: str = 'cpu',
                  extract_layers=(3, 6, 9)) -> Dict[str, Callable]:
    """CLIPSeg (release sizes, random ``arch`` CLIP) answering 1 and 20
    prompts per image, and 20 the way a one-prompt-per-image API does
    (the image tower again for every prompt)."""
    from mmseg.registry import MODELS
    init_default_scope('mmseg')
    names = [f'object {i}' for i in range(20)]
    model = MODELS.build(
        dict(
            type='CLIPSeg',
            clip=dict(model_name=arch),
            decode_head=dict(type='CLIPSegHead'),
            extract_layers=extract_layers,
            class_names=names)).to(device).eval()
    text = model.vocabulary.text
    inputs = torch.randn(batch, 3, size, size, device=device)

    @torch.no_grad()
    def answer(prompts):
        return model.prompt_logits(inputs, text[:prompts])

    @torch.no_grad()
    def one_by_one():
        return [model.prompt_logits(inputs, text[i:i + 1]) for i in range(20)]

    return dict(
        prompts_1=lambda: answer(1),
        prompts_20=lambda: answer(20),
        one_by_one_20=one_by_one)


def classify_steps(arch: str,
                   size: int,
                   batch: int,
                   device: str = 'cpu') -> Dict[str, Callable]:
    """The image-level recipe: the student alone, the step with cached
    teacher features and the teacher forward that caching saves."""
    from mmpretrain.registry import MODELS
    from mmpretrain.structures import DataSample
    model = MODELS.build(
        recipe_model('mmpretrain', 'vlkd_cls/vlkd-cls_r18_vit-b16_cub.py',
                     arch)).to(device).train()
    inputs = torch.randn(batch, 3, size, size, device=device)
    samples = [
        DataSample(metainfo=dict(sample_idx=i)).set_gt_label(i % 100)
        for i in range(batch)
    ]
    model.set_teacher_features('train', torch.randn(batch,
                                                    model.text.shape[1]))
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-4)
    id_text = model.text[model.split.id_classes]
    labels = torch.arange(batch, device=device) % 100

    def student():
        feats = model.extract_feat(inputs)
        return dict(loss=clip_classification_loss(feats, id_text, labels))

    size_t = clip_input_size(model.teacher.clip)
    return dict(
        student=lambda: sgd_step(optimizer, student()),
        cached=lambda: sgd_step(optimizer, model.loss(inputs, samples)),
        teacher=lambda: model.teacher.encode_image(
            torch.randn(batch, 3, size_t, size_t, device=device)))
