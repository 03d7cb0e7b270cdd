import collections

import numpy as np
import pytest
import torch
from mmengine.logging import HistoryBuffer, MessageHub
from mmengine.runner import CheckpointLoader

from vlkd_seg.compat import UnsafeCheckpointError, load_checkpoint_safely


def _mmengine_like_checkpoint():
    hub = MessageHub.get_instance('test_compat')
    for i in range(3):
        hub.update_scalar('train/loss', np.float64(1.0 / (i + 1)))
    hub.update_info('iter', 3)
    return dict(
        meta=dict(
            iter=3,
            seed=np.int64(7),
            dataset_meta=dict(
                classes=('a', 'b'), palette=[[0, 0, 0], [1, 1, 1]])),
        state_dict=collections.OrderedDict(w=torch.ones(2, 2)),
        message_hub=hub.state_dict(),
        optimizer=dict(
            state={0: dict(momentum_buffer=torch.zeros(2))},
            param_groups=[dict(lr=0.1, params=[0])]))


def test_message_hub_checkpoint_round_trips_with_safe_unpickler(tmp_path):
    path = str(tmp_path / 'ckpt.pth')
    ckpt = _mmengine_like_checkpoint()
    torch.save(ckpt, path)
    unsafe = torch.serialization.get_unsafe_globals_in_checkpoint(path)
    assert not any('getattr' in name for name in unsafe), unsafe

    loaded = load_checkpoint_safely(path)
    buffer = loaded['message_hub']['log_scalars']['train/loss']
    assert isinstance(buffer, HistoryBuffer)
    assert buffer.current() == pytest.approx(1 / 3)
    assert buffer.mean(3) == pytest.approx((1 + 1 / 2 + 1 / 3) / 3)
    assert loaded['meta']['seed'] == 7
    assert torch.equal(loaded['state_dict']['w'], torch.ones(2, 2))


def test_mmengine_loader_uses_the_safe_loader(tmp_path):
    path = str(tmp_path / 'ckpt.pth')
    torch.save(_mmengine_like_checkpoint(), path)
    loaded = CheckpointLoader.load_checkpoint(path, map_location='cpu')
    assert loaded['meta']['iter'] == 3


class Foreign:
    """A class no checkpoint should be allowed to instantiate."""


def test_foreign_object_is_refused_with_the_file_and_global(tmp_path):
    path = str(tmp_path / 'evil.pth')
    torch.save(dict(state_dict={}, payload=Foreign()), path)
    with pytest.raises(UnsafeCheckpointError) as info:
        CheckpointLoader.load_checkpoint(path)
    message = str(info.value)
    assert path in message and 'Foreign' in message


def test_missing_checkpoint_names_the_path(tmp_path):
    with pytest.raises(FileNotFoundError, match='nope.pth'):
        load_checkpoint_safely(str(tmp_path / 'nope.pth'))


@pytest.mark.parametrize(
    'value',
    [np.array([]),
     np.zeros((0, 3), np.float32), b'',
     HistoryBuffer()],
    ids=['empty array', 'empty float32 array', 'empty bytes', 'new buffer'])
def test_empty_arrays_bytes_and_new_buffers_load(tmp_path, value):
    path = str(tmp_path / 'ckpt.pth')
    torch.save(dict(meta=dict(value=value), state_dict={}), path)
    loaded = load_checkpoint_safely(path)['meta']['value']
    assert type(loaded) is type(value)
    if isinstance(value, HistoryBuffer):
        assert len(loaded.data[0]) == 0
        loaded.update(2.0)
        assert loaded.mean() == 2.0
    else:
        assert len(loaded) == 0


class RunsACommand:
    """Unpickling this would call ``os.system``."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        import os
        return os.system, (f'touch {self.marker}', )


def test_a_pickled_callable_is_refused_and_never_runs(tmp_path):
    marker = tmp_path / 'ran'
    path = str(tmp_path / 'evil.pth')
    torch.save(dict(state_dict={}, meta=RunsACommand(marker)), path)
    with pytest.raises(UnsafeCheckpointError, match=r'GLOBAL \w+\.system'):
        load_checkpoint_safely(path)
    assert not marker.exists()
