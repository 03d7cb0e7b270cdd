# FreeSeg on the embedded world with its stage-1 learned prompts: the
# world FreeSeg recipe, its texts (for the queries and the region
# classifier alike) from the prompts of
# freeseg-prompts_vit-world_synthetic-world.py (iter_1000.pth of that
# run's default work dir; tools/zegclip_world.py --kinds freeseg_learned
# points it at each seed's stage-1 run).
_base_ = './freeseg_r18-tiny_vit-world_synthetic-world.py'
model = dict(
    prompts=dict(
        type='LearnedPrompts',
        n_ctx=4,
        task=None,
        checkpoint='work_dirs/freeseg-prompts_vit-world_synthetic-world/'
        'iter_1000.pth'))
