import json
import os.path as osp

import pytest
import torch

from vlkd_seg.models.teachers.clip_checkpoint import create_clip
from vlkd_seg.utils import load_config
from ..conftest import REPO, load_tool, make_fake_dataset

CONFIG = osp.join(REPO, 'configs', 'maskclip',
                  'maskclip_vit-b16_voc12aug-20.py')


def test_maskclip_evaluates_without_a_trained_checkpoint(
        clip_configs, tmp_path, capsys):
    cfg = load_config(CONFIG)
    data = tmp_path / 'voc'
    make_fake_dataset(data, cfg.test_dataloader.dataset, 20)
    weights = str(tmp_path / 'tiny-clip.pt')
    torch.save(create_clip(clip_configs['vit']).state_dict(), weights)
    work_dir = tmp_path / 'work'
    load_tool('test').main([
        CONFIG, '--work-dir',
        str(work_dir), '--cfg-options',
        f'model.teacher.model_name={clip_configs["vit"]}',
        f'model.teacher.checkpoint={weights}',
        'model.teacher.templates=single',
        f'model.teacher.text_cache_dir={tmp_path / "cache"}',
        f'test_dataloader.dataset.data_root={data}',
        'test_dataloader.num_workers=0',
        'test_dataloader.persistent_workers=False',
        'test_dataloader.dataset.pipeline.1.scale=(64,64)'
    ])
    table = json.loads((work_dir / 'per_class_iou.json').read_text())
    assert len(table['classes']) == 20
    assert {r['Split'] for r in table['classes'][15:]} == {'unseen'}
    summary = table['summary']
    assert set(summary) == {'aAcc', 'mIoU', 'mIoU_seen', 'mIoU_unseen', 'hIoU'}
    assert 0 <= summary['aAcc'] <= 100
    assert 'mIoU_unseen' in capsys.readouterr().out


def test_convert_checks_keys_and_writes_a_safe_state_dict(
        clip_configs, tmp_path):
    model = create_clip(clip_configs['vit'])
    src = str(tmp_path / 'wrapped.pt')
    torch.save(
        dict(state_dict={
            'module.' + k: v
            for k, v in model.state_dict().items()
        }), src)
    dst = str(tmp_path / 'out' / 'clip.pt')
    convert = load_tool('convert_clip_checkpoint')
    convert.main([src, dst, '--model-name', clip_configs['vit']])
    converted = torch.load(dst, weights_only=True)
    assert set(converted) == set(model.state_dict())
    with pytest.raises(SystemExit, match='does not fit the architecture'):
        convert.main(
            [src,
             str(tmp_path / 'x.pt'), '--model-name', clip_configs['rn']])
    assert not osp.exists(tmp_path / 'x.pt')


def test_build_text_embeddings_saves_the_bank(clip_configs, tmp_path,
                                              monkeypatch):
    monkeypatch.setenv('VLKD_CACHE', str(tmp_path / 'cache'))
    out = str(tmp_path / 'bank.pt')
    load_tool('build_text_embeddings').main([
        '--model-name', clip_configs['rn'], '--class-names', 'voc20',
        '--templates', 'single', '--out', out
    ])
    saved = torch.load(out, weights_only=True)
    assert saved['embeddings'].shape == (20, 32)
    assert saved['names'][15] == 'potted plant'
    assert list((tmp_path / 'cache' / 'text_embeddings').glob('*.pt'))
