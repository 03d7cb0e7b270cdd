# The embedded world as VOC-20 and COCO-Stuff are set up for zero-shot
# segmentation (ZegCLIP's protocol): its 8 objects are the classes and the
# background is ignored (mmseg maps it to 255 through the metainfo's
# classes), so no catch-all "background" text stands among the queries.
# Unseen: square, ring, diamond, as in synthetic_world.py.
_base_ = './synthetic_world.py'
class_names = [
    'disc', 'square', 'triangle', 'ring', 'cross', 'star', 'diamond', 'bar'
]
unseen_idx = [1, 3, 6]
metainfo = dict(classes=class_names, unseen_idx=unseen_idx)
train_dataloader = dict(dataset=dict(metainfo=metainfo))
val_dataloader = dict(dataset=dict(metainfo=metainfo))
test_dataloader = val_dataloader
