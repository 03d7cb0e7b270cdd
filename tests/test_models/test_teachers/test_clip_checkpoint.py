import json

import pytest
import torch
from safetensors.torch import save_file

from vlkd_seg.models import CLIPTeacher
from vlkd_seg.models.teachers.clip_checkpoint import (create_clip,
                                                      open_clip_name)
from vlkd_seg.utils import UnsafeCheckpointError


@pytest.fixture()
def weights(clip_configs):
    torch.manual_seed(1)
    model = create_clip(clip_configs['vit'])
    return model.state_dict()


def _assert_loaded(teacher, weights):
    for key, value in weights.items():
        assert torch.equal(teacher.clip.state_dict()[key], value), key


@pytest.mark.parametrize('fmt', ['plain', 'wrapped', 'safetensors'])
def test_local_weights_load_in_every_format(clip_configs, weights, tmp_path,
                                            fmt):
    if fmt == 'safetensors':
        path = str(tmp_path / 'w.safetensors')
        save_file({k: v.contiguous() for k, v in weights.items()}, path)
    else:
        path = str(tmp_path / 'w.pt')
        payload = weights if fmt == 'plain' else dict(
            state_dict={
                'module.' + k: v
                for k, v in weights.items()
            }, epoch=3)
        torch.save(payload, path)
    teacher = CLIPTeacher(
        clip_configs['vit'], checkpoint=path, text_cache_dir='')
    _assert_loaded(teacher, weights)


def test_torchscript_archive_loads_with_quick_gelu(clip_configs, weights,
                                                   tmp_path):
    model = create_clip(clip_configs['vit'])
    model.load_state_dict(weights)
    scripted = torch.jit.trace_module(
        model, dict(encode_image=torch.randn(1, 3, 32, 32)))
    path = str(tmp_path / 'openai.pt')
    scripted.save(path)
    teacher = CLIPTeacher(
        clip_configs['vit'], checkpoint=path, text_cache_dir='')
    _assert_loaded(teacher, weights)
    block = teacher.clip.visual.transformer.resblocks[0]
    assert type(block.mlp.gelu).__name__ == 'QuickGELU'


def test_missing_checkpoint_names_the_file_and_how_to_get_it(
        clip_configs, tmp_path):
    with pytest.raises(FileNotFoundError) as info:
        CLIPTeacher(clip_configs['vit'], checkpoint=str(tmp_path / 'x.pt'))
    assert 'x.pt' in str(info.value)
    assert 'never downloaded' in str(info.value)


def test_corrupt_checkpoint_is_a_clear_error(clip_configs, weights, tmp_path):
    path = tmp_path / 'broken.pt'
    torch.save(weights, str(path))
    path.write_bytes(path.read_bytes()[:1000])
    with pytest.raises(
            ValueError, match='cannot read CLIP checkpoint .*'
            'broken.pt'):
        CLIPTeacher(clip_configs['vit'], checkpoint=str(path))


class _RunsACommand:
    """Unpickling this would call ``os.system``."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        import os
        return os.system, (f'touch {self.marker}', )


def test_a_teacher_checkpoint_running_code_is_refused_without_torch_advice(
        clip_configs, weights, tmp_path):
    marker = tmp_path / 'ran'
    path = str(tmp_path / 'evil.pt')
    torch.save(dict(weights, hook=_RunsACommand(marker)), path)
    with pytest.raises(UnsafeCheckpointError, match=r'GLOBAL \w+\.system') \
            as info:
        CLIPTeacher(clip_configs['vit'], checkpoint=path, text_cache_dir='')
    assert 'weights_only' not in str(info.value)
    assert not marker.exists()


def test_checkpoint_of_another_architecture_lists_the_keys(
        clip_configs, tmp_path):
    path = str(tmp_path / 'rn.pt')
    torch.save(create_clip(clip_configs['rn']).state_dict(), path)
    with pytest.raises(ValueError) as info:
        CLIPTeacher(clip_configs['vit'], checkpoint=path)
    message = str(info.value)
    assert 'does not fit the architecture' in message
    assert 'visual.conv1.weight' in message  # a missing ViT key
    assert 'visual.attnpool' in message  # an unexpected ResNet key


def test_json_configs_with_one_basename_do_not_replace_each_other(
        clip_configs, tmp_path):
    vit, rn = (json.loads(open(clip_configs[k]).read()) for k in ('vit', 'rn'))
    paths = []
    for user, cfg in (('alice', vit), ('bob', rn)):
        (tmp_path / user).mkdir()
        paths.append(str(tmp_path / user / 'model.json'))
        with open(paths[-1], 'w') as f:
            json.dump(cfg, f)
    first, second = (open_clip_name(p) for p in paths)
    assert first != second and first.startswith('model-')
    assert open_clip_name(paths[0]) == first  # stable
    # the first user's model is still the ViT after the second registered
    assert hasattr(create_clip(paths[0]).visual, 'transformer')
    assert hasattr(create_clip(paths[1]).visual, 'layer1')
    teacher = CLIPTeacher(paths[0], text_cache_dir='')
    assert teacher.embed_dim == vit['embed_dim']
