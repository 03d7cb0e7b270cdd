# The tiny FCN with its classifier replaced by CLIP text embeddings
# (MaskCLIP+ student head): logits = exp(tau) * cos(pixel, class text).
_base_ = './fcn_r18-tiny.py'
model = dict(
    decode_head=dict(
        _delete_=True,
        type='TextClassifierHead',
        embed_dim=64,
        head={{_base_.model.decode_head}}))
