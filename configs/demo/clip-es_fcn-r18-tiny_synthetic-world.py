# Weakly supervised (CLIP-ES style) on the embedded world: the tiny FCN
# student never sees a pixel label, only the set of objects in each scene;
# the world CLIP teacher labels each pixel with the most likely of the
# scene's objects and background, then the student's moving average does.
_base_ = ['./maskclip-plus_fcn-r18-tiny_synthetic-world.py']
model = dict(
    type='ImageTagDistiller',
    unseen_idx=None,
    background_idx=0,
    confidence_thresh=0.5)
train_dataloader = dict(
    dataset=dict(pipeline={{_base_.image_tag_train_pipeline}}))
