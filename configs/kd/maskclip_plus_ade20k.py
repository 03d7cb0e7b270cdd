# The short name the project's first guide gives MaskCLIP+ on ADE20K
# (`tools/dist_train.sh configs/kd/maskclip_plus_ade20k.py 8`); the recipe
# itself follows mmseg's naming.
_base_ = './maskclip-plus_vit-b16_deeplabv3plus-r50_512x512_80k_ade20k.py'
