# Two datasets drawn from the embedded world whose label sets differ and
# overlap (vlkd_seg/datasets/world_views.py; tools/ssiw_world.py writes
# them): "a" annotates disc, square, triangle, ring, cross; "b" disc, hoop
# (its name of the ring), star, diamond, bar; each leaves the other's own
# objects as background, which is therefore silent: it may be any class
# the dataset does not annotate. They train one model through
# UnifiedDataset (its classes: the union, ring and hoop merged); the
# world's own validation scenes, every class labelled, test it.
_base_ = './synthetic_world.py'
view_classes = dict(
    a=['background', 'disc', 'square', 'triangle', 'ring', 'cross'],
    b=['background', 'disc', 'hoop', 'star', 'diamond', 'bar'])
synonyms = [['ring', 'hoop']]
# the union, in the world's label order
unified_classes = [
    'background', 'disc', 'square', 'triangle', 'ring', 'cross', 'star',
    'diamond', 'bar'
]
view_a = dict(
    type='BaseSegDataset',
    data_root={{_base_.data_root}},
    img_suffix='.png',
    seg_map_suffix='.png',
    metainfo=dict(classes=view_classes['a']),
    ann_file='views/a/train.txt',
    data_prefix=dict(
        img_path='img_dir/train', seg_map_path='views/a/ann_dir/train'),
    pipeline={{_base_.train_pipeline}})
view_b = dict(
    type='BaseSegDataset',
    data_root={{_base_.data_root}},
    img_suffix='.png',
    seg_map_suffix='.png',
    metainfo=dict(classes=view_classes['b']),
    ann_file='views/b/train.txt',
    data_prefix=dict(
        img_path='img_dir/train', seg_map_path='views/b/ann_dir/train'),
    pipeline={{_base_.train_pipeline}})
train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='UnifiedDataset',
        datasets=[
            dict(name='a', dataset=view_a, silent=['background']),
            dict(name='b', dataset=view_b, silent=['background'])
        ],
        synonyms=synonyms,
        classes=unified_classes))
val_dataloader = dict(dataset=dict(metainfo=dict(classes=unified_classes)))
test_dataloader = val_dataloader
val_evaluator = dict(_delete_=True, type='IoUMetric', iou_metrics=['mIoU'])
test_evaluator = val_evaluator
