"""tools/zegclip_world.py: teacher, inductive ZegCLIP and its oracle over
seeds, the students distilled from it, CLIPSeg, FreeSeg, results.json."""
import json
import os

import torch

from vlkd_seg.demo import WORLD_CLIP_VIT_CONFIG
from vlkd_seg.models.teachers.clip_checkpoint import create_clip
from ..conftest import load_tool


def test_the_tool_writes_every_row(tiny_world, tmp_path):
    cache = tmp_path / 'cache'
    (cache / 'world_clip').mkdir(parents=True)
    os.symlink(tiny_world, cache / 'synthetic_world')
    torch.save(
        create_clip(WORLD_CLIP_VIT_CONFIG).state_dict(),
        cache / 'world_clip' / 'world_clip_vit.pt')
    common = [
        '--iters', '2', '--student-iters', '2', '--prompt-iters', '2',
        '--cache',
        str(cache), '--work-dir',
        str(tmp_path / 'work')
    ]
    tool = load_tool('zegclip_world')
    results = tool.main(['--seeds', '0', '1', '--kinds', 'inductive'] + common)
    saved = json.loads((tmp_path / 'work' / 'results.json').read_text())
    assert saved == json.loads(json.dumps(results))
    assert 0 <= saved['teacher']['mIoU_unseen'] <= 100
    for kind in ('inductive', ):
        assert [r['seed'] for r in saved[kind]['runs']] == [0, 1]
        unseen = [r['metrics']['mIoU_unseen'] for r in saved[kind]['runs']]
        assert saved[kind]['mean']['mIoU_unseen'] == sum(unseen) / 2
    # the students read the inductive run of their seed in the same work dir
    kinds = ('oracle', 'distilled', 'maskclip_plus', 'clipseg_phrases',
             'freeseg', 'freeseg_prompts', 'freeseg_learned')
    later = tool.main(['--seeds', '0', '--kinds', *kinds] + common)
    for kind in kinds:
        assert [r['seed'] for r in later[kind]['runs']] == [0]
    for kind in ('freeseg', 'freeseg_learned'):  # unseen objects found
        proposals = later[kind]['proposals']['mean']
        assert 0 <= proposals['recall'] <= 100 and proposals['objects'] > 0
    assert 'proposals' not in later['freeseg_prompts']  # MaskCLIP's texts
    for kind in kinds[3:4]:  # CLIPSeg answers phrases and image prompts
        prompts = later[kind]['prompts']  # (the class-name recipe's path)
        assert set(prompts['mean']) == {
            f'{p}_IoU_{s}'
            for p in ('phrase', 'image')
            for s in ('seen', 'unseen')
        }
        # the tiny world's 8 scenes may not show every object (no image
        # prompt: NaN); a phrase is always scored
        assert all(0 <= v <= 100 for k, v in prompts['mean'].items()
                   if k.startswith('phrase') or v == v)
    assert (tmp_path / 'cache' / 'synthetic_world' / 'phrases' /
            'train.jsonl').is_file()
    config = (tmp_path / 'work' / 'distilled_seed0').glob('*.py')
    assert 'inductive_seed0/iter_2.pth' in next(config).read_text()
    config = (tmp_path / 'work' / 'freeseg_learned_seed0').glob('*.py')
    assert 'freeseg_prompts_seed0/iter_2.pth' in next(config).read_text()
