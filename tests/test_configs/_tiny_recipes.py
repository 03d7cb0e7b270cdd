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
        'model.data_preprocessor.size=(64,64)', 'train_cfg.max_iters=2',
        'train_cfg.val_interval=2', 'param_scheduler.0.end=2',
        'default_hooks.checkpoint.interval=2'
    ]
    if head.get('c1_in_channels'):
        opts.append('model.student.decode_head.c1_in_channels=64')
    for i, labeller in enumerate(cfg.model.get('labellers', [])):
        if labeller.type == 'StudentLabeller':  # self-training at 1
            opts.append(f'model.labellers.{i}.start=1')
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
