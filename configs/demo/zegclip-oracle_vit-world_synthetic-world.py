# The fully supervised oracle of inductive ZegCLIP on the world: the same
# model and schedule, every scene and every class labelled.
_base_ = ['./zegclip_vit-world_synthetic-world.py']
model = dict(unseen_idx=[])
train_dataloader = dict(dataset={{_base_.train_dataloader.dataset.dataset}})
