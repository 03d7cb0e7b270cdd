# SSIW's multi-dataset student as a distiller: a DeepLabV3+ R50 text
# student scored against the frozen ViT-B/16 CLIP texts of the unified
# classes; each dataset's silent pixels are labelled by the teacher among
# the classes that dataset does not annotate. Recipes give the classes.
_base_ = ['./deeplabv3plus_r50-d8_text.py', './clip_vit-b16_teacher.py']
model = dict(
    _delete_=True,
    type='MultiDatasetDistiller',
    data_preprocessor={{_base_.data_preprocessor}},
    student={{_base_.model}},
    teacher={{_base_.teacher}},
    labellers=[dict(type='TeacherLabeller', start=0)])
