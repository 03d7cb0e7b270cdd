# Reproduces transductive ZegCLIP on VOC-20 (paper: 92.3 / 89.9 / 91.1):
# the release's second run (configs/voc12/vpt_seg_zero_vit-b_512x512_10k_
# 12_10_st.py): 10k iterations from the inductive run's iteration-10k
# checkpoint, every class's text scored, the unseen pixels labelled by the
# argmax of the unseen scores of the same forward; no seen-score offset.
# Train the inductive recipe first (or point load_from elsewhere).
_base_ = './zegclip_vit-b16_512x512_20k_voc12aug-20.py'
load_from = ('work_dirs/zegclip_vit-b16_512x512_20k_voc12aug-20/'
             'iter_10000.pth')
model = dict(self_training_start=0, seen_score_offset=0.)
param_scheduler = [
    dict(
        type='LinearLR', start_factor=1e-6, by_epoch=False, begin=0, end=1500),
    dict(
        type='PolyLR',
        eta_min=1e-6,
        power=0.9,
        begin=1500,
        end=10000,
        by_epoch=False)
]
train_cfg = dict(max_iters=10000, val_interval=2000)
