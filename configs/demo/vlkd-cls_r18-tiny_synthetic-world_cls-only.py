# The baseline of the world recipe: L_cls alone (labels, no teacher
# alignment); compare ID / OOD accuracy and M_rel, M_neigh, M_vlalign.
_base_ = './vlkd-cls_r18-tiny_synthetic-world.py'
model = dict(losses=[dict(loss='clip_classification_loss')])
