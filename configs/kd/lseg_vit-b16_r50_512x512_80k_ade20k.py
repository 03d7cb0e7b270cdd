# LSeg (inductive zero-shot): a ResNet-50 LSeg student trained on the seen
# classes only, with frozen CLIP ViT-B/16 text embeddings as classifier; the
# unseen pixels are ignored (no pseudo-labeller), so any
# vocabulary works at test time.
_base_ = [
    '../_base_/models/lseg-r50_vit-b16.py', '../_base_/datasets/ade20k.py',
    '../_base_/default_runtime.py', '../_base_/schedules/schedule_80k.py'
]
model = dict(
    data_preprocessor=dict(size={{_base_.crop_size}}),
    class_names={{_base_.class_names}},
    unseen_idx={{_base_.unseen_idx}})
