# Reproduces transductive ZegCLIP on COCO-Stuff-171 (paper: 40.6 / 59.9 /
# 48.4): 40k self-training iterations from the inductive run's
# iteration-40k checkpoint (release: configs/coco/vpt_seg_zero_vit-b_
# 512x512_40k_12_100_multi_st.py); no seen-score offset.
_base_ = './zegclip_vit-b16_512x512_80k_coco-stuff164k.py'
load_from = ('work_dirs/zegclip_vit-b16_512x512_80k_coco-stuff164k/'
             'iter_40000.pth')
model = dict(self_training_start=0, seen_score_offset=0.)
param_scheduler = [
    dict(
        type='LinearLR', start_factor=1e-6, by_epoch=False, begin=0, end=1500),
    dict(
        type='PolyLR',
        eta_min=1e-6,
        power=0.9,
        begin=1500,
        end=40000,
        by_epoch=False)
]
train_cfg = dict(max_iters=40000, val_interval=8000)
