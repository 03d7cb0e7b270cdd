# The fully supervised oracle of inductive ZegCLIP on the world: the same
# model and schedule, every scene and every object labelled.
_base_ = ['./zegclip_vit-world_synthetic-world.py']
model = dict(unseen_idx=[])
train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type={{_base_.dataset_type}},
        data_root={{_base_.data_root}},
        metainfo={{_base_.metainfo}},
        data_prefix=dict(
            img_path='img_dir/train', seg_map_path='ann_dir/train'),
        pipeline={{_base_.train_pipeline}}))
