# The fully supervised oracle of the MaskCLIP+ demo: the same student (tiny
# FCN, CLIP text classifier), schedule and seed, trained with every class
# labelled (no pseudo-labels, the teacher only gives the text embeddings).
# Its unseen mIoU is the ceiling the student's is measured against.
_base_ = ['./maskclip-plus_fcn-r18-tiny_synthetic-world.py']
model = dict(unseen_idx=[], labellers=[])
