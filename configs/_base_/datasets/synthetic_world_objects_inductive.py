# The world's 8 objects (background ignored) for inductive zero-shot
# training: the scenes that hold an unseen object (square, ring, diamond)
# are left out (InductiveDataset: 776 of the 2,000), so no pixel of an
# unseen class is ever seen, not even unlabelled. Batch 16.
_base_ = './synthetic_world_objects.py'
train_dataloader = dict(
    batch_size=16,
    dataset=dict(
        _delete_=True,
        type='InductiveDataset',
        dataset={{_base_.train_dataloader.dataset}}))
