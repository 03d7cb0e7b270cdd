"""A recipe shrunk to a seconds-long run through the tools."""


def tiny_recipe_options(cfg, clip_configs, root):
    """--cfg-options shrinking a reference recipe to a seconds-long run."""
    vit = cfg.model.teacher.model_name.startswith('ViT')
    head = cfg.model.student.decode_head
    opts = [
        f'model.teacher.model_name={clip_configs["vit" if vit else "rn"]}',
        'model.teacher.checkpoint=None', 'model.teacher.templates=single',
        'model.teacher.text_cache_dir=', 'model.student.backbone.depth=18',
        'model.student.backbone.init_cfg=None', 'model.student.embed_dim=32',
        'model.student.decode_head.num_classes=32',
        'model.student.decode_head.in_channels=512',
        'model.student.decode_head.channels=32',
        'model.data_preprocessor.size=(64,64)', 'param_scheduler.0.end=2'
    ]
    if head.get('c1_in_channels'):
        opts.append('model.student.decode_head.c1_in_channels=64')
    for i, labeller in enumerate(cfg.model.get('labellers', [])):
        if labeller.type == 'StudentLabeller':  # self-training at 1
            opts.append(f'model.labellers.{i}.start=1')
    return opts + _run_options(cfg, root)


def tiny_zegclip_options(cfg, clip_configs, root):
    """--cfg-options shrinking a ZegCLIP recipe to a seconds-long run: the
    tiny ViT CLIP (D = 32) in both encoders, a 64 px crop."""
    opts = [
        'model.data_preprocessor.size=(64,64)',
        'model.decode_head.in_channels=32', 'model.decode_head.num_heads=4',
        'model.decode_head.ffn_channels=64',
        'model.test_cfg.crop_size=(64,64)', 'model.test_cfg.stride=(48,48)',
        'model.image_encoder.num_tokens=2', 'param_scheduler.0.end=1',
        'param_scheduler.1.begin=1', 'param_scheduler.1.end=2',
        'model.text_encoder.templates=single',
        'model.text_encoder.text_cache_dir='
    ]
    for part in ('image_encoder', 'text_encoder'):
        opts += [
            f'model.{part}.model_name={clip_configs["vit"]}',
            f'model.{part}.checkpoint=None'
        ]
    return opts + _run_options(cfg, root)


def _run_options(cfg, root):
    """Two iterations on the fake data under ``root``, small images."""
    opts = [
        'train_cfg.max_iters=2', 'train_cfg.val_interval=2',
        'default_hooks.checkpoint.interval=2'
    ]
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        opts += [
            f'{loader}.dataset.data_root={root}', f'{loader}.batch_size=2',
            f'{loader}.num_workers=0', f'{loader}.persistent_workers=False'
        ]
    pipeline = cfg.train_dataloader.dataset.pipeline
    for i, step in enumerate(pipeline):
        if step['type'] == 'RandomResize':
            opts.append(f'train_dataloader.dataset.pipeline.{i}.scale='
                        '(80,64)')
        if step['type'] == 'RandomCrop':
            opts.append(f'train_dataloader.dataset.pipeline.{i}.crop_size='
                        '(64,64)')
    for i, step in enumerate(cfg.test_dataloader.dataset.pipeline):
        if step['type'] == 'Resize':
            opts.append(f'test_dataloader.dataset.pipeline.{i}.scale=(80,64)')
    return opts
