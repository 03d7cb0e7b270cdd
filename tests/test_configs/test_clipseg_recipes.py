"""The CLIPSeg recipes: the release's settings, and each run through the
tools on a fake VOC tree with tiny stand-ins (a tiny CLIP for the trained
recipe, a tiny published-layout folder for the published weights)."""
import os.path as osp

import pytest

from vlkd_seg.utils import load_config
from ..conftest import REPO, load_tool, make_fake_dataset
from ..test_datasets.test_phrasecut import TASKS, _phrasecut
from ..test_models.test_clipseg._helpers import save_tiny_clipseg
from ._tiny_recipes import _run_options

ROOT = osp.join(REPO, 'configs', 'clipseg')
TRAINED = osp.join(ROOT, 'clipseg_vit-b16_352x352_20k_voc12aug-20.py')
PUBLISHED = osp.join(ROOT, 'clipseg-rd64-refined_vit-b16_voc12aug-20.py')
PHRASECUT = osp.join(ROOT, 'clipseg_vit-b16_352x352_20k_phrasecut.py')
ZERO_SHOT = osp.join(ROOT,
                     'clipseg_vit-b16_352x352_20k_phrasecut-voc12aug-20.py')


def test_the_trained_recipe_has_the_release_settings():
    cfg = load_config(TRAINED)
    model = cfg.model
    assert model.clip.model_name == 'ViT-B-16'
    assert tuple(model.extract_layers) == (3, 7, 9)
    head = model.decode_head
    assert (head.channels, head.num_heads, head.ffn_channels) == (64, 4, 2048)
    assert model.unseen_idx == [15, 16, 17, 18, 19]
    assert len(model.train_cfg.prompt_templates) == 9  # 'shuffle+'
    assert tuple(model.train_cfg.text_weight) == (0., 0.5)
    optimizer = cfg.optim_wrapper.optimizer
    assert (optimizer.type, optimizer.lr) == ('AdamW', 1e-3)
    (cosine, ) = cfg.param_scheduler
    assert (cosine.type, cosine.eta_min, cosine.end) == ('CosineAnnealingLR',
                                                         1e-4, 20000)
    assert cfg.train_cfg.max_iters == 20000
    assert cfg.train_dataloader.batch_size * 4 == 64
    assert model.data_preprocessor.size == (352, 352)
    assert model.data_preprocessor.mean == [123.675, 116.28, 103.53]


def test_the_phrasecut_recipe_has_the_release_rd64_uni_settings():
    cfg = load_config(PHRASECUT)
    assert cfg.train_dataloader.dataset.negative_prob == 0.2
    assert cfg.train_dataloader.batch_size * 4 == 64
    pipeline = [s.type for s in cfg.train_dataloader.dataset.pipeline]
    assert 'LoadPhraseMask' in pipeline and 'RandomFlip' not in pipeline
    templates = cfg.model.train_cfg.prompt_templates
    assert len(templates) == 9 and 'a photo of {}.' in templates
    assert tuple(cfg.model.train_cfg.text_weight) == (0., 0.5)
    assert tuple(cfg.model.extract_layers) == (3, 7, 9)
    (cosine, ) = cfg.param_scheduler
    assert (cfg.optim_wrapper.optimizer.lr, cosine.eta_min,
            cosine.end) == (1e-3, 1e-4, 20000)


def test_the_zero_shot_recipe_trains_on_phrasecut_without_unseen_names(
        tmp_path):
    from mmengine.registry import init_default_scope
    from mmseg.registry import DATASETS

    from vlkd_seg.utils.vocabulary import load_class_names
    cfg = load_config(ZERO_SHOT)
    train = cfg.train_dataloader.dataset
    phrases = [f'the {n}' for n in load_class_names('voc20')]
    phrases += ['two grey sofas', 'a TV', 'the plant pots']
    lines = [
        f'{{"image": "a.jpg", "phrase": "{p}", "mask": null}}' for p in phrases
    ]
    (tmp_path / 'train.jsonl').write_text('\n'.join(lines))
    init_default_scope('mmseg')
    dataset = DATASETS.build(
        dict(train, data_root=str(tmp_path), negative_prob=0., pipeline=[]))
    kept = {dataset.get_data_info(i)['phrase'] for i in range(len(dataset))}
    unseen = {phrases[i] for i in cfg.model.unseen_idx}
    assert kept == set(phrases[:20]) - unseen
    assert cfg.val_dataloader.dataset.type == 'PascalVOC20Dataset'
    assert cfg.model.class_template == 'a photo of a {}.'


def test_the_phrasecut_recipe_trains_on_converted_phrasecut(
        clip_configs, tmp_path):
    root, work = tmp_path / 'phrasecut', tmp_path / 'work'
    _phrasecut(root, TASKS + [dict(TASKS[0], task_id='7__2', phrase='sky')])
    for split in ('train', 'val', 'test'):
        (root / f'refer_{split}.json').write_text(
            (root / 'refer_miniv.json').read_text())
    load_tool('convert_phrasecut').main([str(root)])
    cfg = load_config(PHRASECUT)
    opts = [
        f'model.clip.model_name={clip_configs["vit"]}',
        'model.clip.checkpoint=None', 'model.extract_layers=(0,1)',
        'model.decode_head.ffn_channels=64',
        'model.data_preprocessor.size=(64,64)',
        'val_dataloader.dataset.pipeline.1.scale=(64,64)',
        'param_scheduler.0.end=2'
    ] + _run_options(cfg, root)
    load_tool('train').main(
        [PHRASECUT, '--work-dir',
         str(work), '--cfg-options', *opts])
    metrics = load_tool('test').main([
        PHRASECUT,
        str(work / 'iter_2.pth'), '--work-dir',
        str(work), '--cfg-options', *opts
    ])
    assert 0 <= metrics['mIoU'] <= 100


def test_the_trained_recipe_runs_through_the_tools(clip_configs, tmp_path):
    root, work = tmp_path / 'data', tmp_path / 'work'
    cfg = load_config(TRAINED)
    for loader in ('train_dataloader', 'val_dataloader'):
        make_fake_dataset(root, cfg[loader].dataset, 20)
    opts = [
        f'model.clip.model_name={clip_configs["vit"]}',
        'model.clip.checkpoint=None', 'model.extract_layers=(0,1)',
        'model.decode_head.ffn_channels=64',
        'model.data_preprocessor.size=(64,64)',
        'model.test_cfg.crop_size=(64,64)', 'model.test_cfg.stride=(48,48)',
        'param_scheduler.0.end=2'
    ] + _run_options(cfg, root)
    load_tool('train').main(
        [TRAINED, '--work-dir',
         str(work), '--cfg-options', *opts])
    metrics = load_tool('test').main([
        TRAINED,
        str(work / 'iter_2.pth'), '--work-dir',
        str(work), '--cfg-options', *opts
    ])
    assert {'mIoU_seen', 'mIoU_unseen', 'hIoU'} <= set(metrics)


def test_the_published_weights_test_without_a_checkpoint(tmp_path):
    root = tmp_path / 'data'
    cfg = load_config(PUBLISHED)
    make_fake_dataset(root, cfg.test_dataloader.dataset, 20)
    save_tiny_clipseg(tmp_path / 'clipseg-rd64-refined')
    opts = [
        f'model.weights={tmp_path / "clipseg-rd64-refined"}',
        f'test_dataloader.dataset.data_root={root}',
        'test_dataloader.num_workers=0',
        'test_dataloader.persistent_workers=False',
        'test_dataloader.dataset.pipeline.1.scale=(64,64)'
    ]
    metrics = load_tool('test').main([
        PUBLISHED, '--work-dir',
        str(tmp_path / 'work'), '--cfg-options', *opts
    ])
    assert {'mIoU_seen', 'mIoU_unseen', 'hIoU'} <= set(metrics)


def test_missing_published_weights_say_where_to_put_them(tmp_path):
    root = tmp_path / 'data'
    make_fake_dataset(root, load_config(PUBLISHED).test_dataloader.dataset, 20)
    with pytest.raises(SystemExit) as exit_info:
        load_tool('test').main([
            PUBLISHED, '--work-dir',
            str(tmp_path), '--cfg-options',
            f'model.weights={tmp_path / "nowhere"}',
            f'test_dataloader.dataset.data_root={root}'
        ])
    message = str(exit_info.value.code)
    assert message.startswith('error: CLIPSeg weights')
    assert 'huggingface-cli download' in message
