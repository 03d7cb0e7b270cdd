"""--resume passes over a damaged newest checkpoint to the previous complete
one, saying so; an unsafe one is refused, never passed over."""
import os

import pytest
import torch

from vlkd_seg.utils import resume_checkpoint
from vlkd_seg.utils.checkpoints import UnsafeCheckpointError


def test_a_damaged_newest_checkpoint_falls_back_with_a_warning(
        tmp_path, capsys):
    torch.save(dict(meta=dict(iter=2)), tmp_path / 'iter_2.pth')
    torch.save(dict(meta=dict(iter=4)), tmp_path / 'iter_4.pth')
    data = (tmp_path / 'iter_4.pth').read_bytes()
    (tmp_path / 'iter_6.pth').write_bytes(data[:len(data) // 2])  # cut short
    assert resume_checkpoint(str(tmp_path)) == str(tmp_path / 'iter_4.pth')
    warning = capsys.readouterr().err
    assert warning.startswith('warning: --resume: ') and 'iter_6.pth' in \
        warning and 'previous complete checkpoint' in warning


def test_an_unsafe_newest_checkpoint_is_refused(tmp_path):
    torch.save(dict(meta=dict(iter=2)), tmp_path / 'iter_2.pth')
    torch.save(dict(hook=os.system), tmp_path / 'iter_4.pth')
    with pytest.raises(UnsafeCheckpointError):
        resume_checkpoint(str(tmp_path))
