# The tiny FCN as a text student (MaskCLIP+): its head projects every pixel
# into the world CLIP's 64-d space (num_classes = 64) and the
# TextEncoderDecoder scores it against the class texts:
# logits = exp(tau) * cos(pixel, class text).
_base_ = './fcn_r18-tiny.py'
model = dict(
    type='TextEncoderDecoder', embed_dim=64, decode_head=dict(num_classes=64))
