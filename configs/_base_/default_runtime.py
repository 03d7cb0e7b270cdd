default_scope = 'mmseg'
custom_imports = dict(imports=['vlkd_seg'], allow_failed_imports=False)
env_cfg = dict(
    cudnn_benchmark=True,
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
    dist_cfg=dict(backend='nccl'),
)
vis_backends = [dict(type='AtomicLocalVisBackend')]
visualizer = dict(
    type='SegLocalVisualizer', vis_backends=vis_backends, name='visualizer')
log_processor = dict(by_epoch=False)
log_level = 'INFO'
load_from = None
resume = False
# RunIsolationHook: a run's random draws depend on its config alone, not
# on what ran before it in the process; RandomStateHook saves the random
# state in each checkpoint (a resumed run draws as the uninterrupted one,
# with the schedules' ExactResumeIterBasedTrainLoop) and keeps validation
# off training's random stream; TrainIterHook gives a distiller the
# runner's iteration (its pseudo-labellers' schedule); RankConsistencyHook
# fails loudly if data-parallel ranks end up with different weights
custom_hooks = [
    dict(type='RunIsolationHook'),
    dict(type='RandomStateHook'),
    dict(type='TrainIterHook'),
    dict(type='RankConsistencyHook'),
    dict(type='LabelSpacesHook')
]
tta_model = dict(type='SegTTAModel')
