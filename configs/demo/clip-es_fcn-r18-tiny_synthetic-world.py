# Weakly supervised (CLIP-ES style) on the embedded world: the tiny FCN
# student never sees a pixel label, only the set of objects in each scene.
# The world CLIP teacher, reading the 64 px scenes at 256 px (an 8x8 map;
# MaskCLIP reads larger inputs for finer maps), labels each pixel with the
# most likely of the scene's objects and background; the map is snapped to
# the scene's colour edges by a CRF (pairwise terms within +-20 px; colour
# scale 20 for the world's flat-coloured, lightly noisy scenes where
# CLIP-ES's 3 suits photos). tools/weak_world.py writes these masks once
# and trains the student on them, as CLIP-ES does; training with this
# recipe directly labels each batch online instead. The attention-affinity
# step is off: the world CLIP's attention pool does not localise (README).
# No confidence threshold: the CRF's output is all but one-hot here.
_base_ = ['./maskclip-plus_fcn-r18-tiny_synthetic-world.py']
model = dict(
    unseen_idx='all',
    image_tags=True,
    background_idx=0,
    labellers=[
        dict(
            type='TeacherLabeller',
            start=0,
            refiners=[
                dict(
                    type='LocalCRF',
                    iters=10,
                    radius=5,
                    dilation=4,
                    bi_rgb_std=20.)
            ])
    ],
    teacher_input_size=(256, 256),
    confidence_thresh=0.)
train_dataloader = dict(
    dataset=dict(pipeline={{_base_.image_tag_train_pipeline}}))
