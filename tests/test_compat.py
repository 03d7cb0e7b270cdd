import collections
import subprocess
import sys
import textwrap

import numpy as np
import pytest
import torch
from mmengine.logging import HistoryBuffer, MessageHub

from vlkd_seg.compat import plain_message_hub, restore_message_hub, to_plain
from vlkd_seg.utils import UnsafeCheckpointError, load_checkpoint_safely


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


def test_plain_message_hub_loads_with_the_plain_safe_unpickler(tmp_path):
    path = str(tmp_path / 'ckpt.pth')
    ckpt = _mmengine_like_checkpoint()
    ckpt['message_hub'] = plain_message_hub(ckpt['message_hub'])
    ckpt['meta'] = to_plain(ckpt['meta'])
    torch.save(ckpt, path)
    loaded = torch.load(path, weights_only=True)  # no allow-list at all

    hub = restore_message_hub(loaded['message_hub'])
    buffer = hub['log_scalars']['train/loss']
    assert isinstance(buffer, HistoryBuffer)
    assert buffer.current() == pytest.approx(1 / 3)
    assert buffer.mean(3) == pytest.approx((1 + 1 / 2 + 1 / 3) / 3)
    assert hub['runtime_info']['iter'] == 3
    assert loaded['meta']['seed'] == 7
    assert torch.equal(loaded['state_dict']['w'], torch.ones(2, 2))


def test_safe_loader_reads_mmengine_objects_in_other_files(tmp_path):
    path = str(tmp_path / 'ckpt.pth')
    ckpt = _mmengine_like_checkpoint()
    ckpt['message_hub']['log_scalars'].clear()  # a buffer pickles getattr
    torch.save(ckpt, path)
    loaded = load_checkpoint_safely(path)
    assert loaded['meta']['seed'] == 7


def test_import_changes_nothing_outside_the_registries():
    """``import vlkd_seg`` leaves pickling, torch's safe globals, mmengine's
    checkpoint loaders and file backends as they were (the packages it
    builds on are imported first: importing them changes some of these)."""
    probe = textwrap.dedent("""
        import copyreg, torch
        import mmseg.models, mmseg.datasets, mmseg.evaluation, mmseg.apis
        import mmpretrain.models, mmpretrain.datasets, open_clip
        from mmengine.fileio.backends import backends, prefix_to_backends
        from mmengine.runner import CheckpointLoader
        def state():
            return (dict(copyreg.dispatch_table),
                    list(torch.serialization.get_safe_globals()),
                    dict(CheckpointLoader._schemes), dict(backends),
                    dict(prefix_to_backends))
        before = state()
        import vlkd_seg
        after = state()
        names = ('copyreg', 'safe globals', 'schemes', 'backends',
                 'prefixes')
        changed = [n for n, a, b in zip(names, before, after) if a != b]
        assert not changed, changed
    """)
    subprocess.run([sys.executable, '-c', probe], check=True)


class Foreign:
    """A class no checkpoint should be allowed to instantiate."""


def test_foreign_object_is_refused_with_the_file_and_global(tmp_path):
    path = str(tmp_path / 'evil.pth')
    torch.save(dict(state_dict={}, payload=Foreign()), path)
    with pytest.raises(UnsafeCheckpointError) as info:
        load_checkpoint_safely(path)
    message = str(info.value)
    assert path in message and 'Foreign' in message


def test_missing_checkpoint_names_the_path(tmp_path):
    with pytest.raises(FileNotFoundError, match='nope.pth'):
        load_checkpoint_safely(str(tmp_path / 'nope.pth'))


@pytest.mark.parametrize(
    'value',
    [np.array([]), np.zeros((0, 3), np.float32), b''],
    ids=['empty array', 'empty float32 array', 'empty bytes'])
def test_empty_arrays_bytes_and_new_buffers_load(tmp_path, value):
    path = str(tmp_path / 'ckpt.pth')
    torch.save(dict(meta=dict(value=value), state_dict={}), path)
    loaded = load_checkpoint_safely(path)['meta']['value']
    assert type(loaded) is type(value)
    assert len(loaded) == 0


def test_a_buffer_pickled_by_mmengine_is_refused(tmp_path):
    """mmengine pickles a buffer's bound statistics methods as getattr
    calls; checkpoints of AtomicCheckpointHook hold plain data instead."""
    path = str(tmp_path / 'ckpt.pth')
    torch.save(dict(meta=dict(value=HistoryBuffer()), state_dict={}), path)
    with pytest.raises(UnsafeCheckpointError, match='getattr'):
        load_checkpoint_safely(path)


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
