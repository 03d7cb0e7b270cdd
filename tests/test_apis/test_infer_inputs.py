"""What infer.py is given: a folder of files it cannot read and a
checkpoint among the images are named, not run as zero images or as an
image."""
import pytest

from vlkd_seg.apis import expand_inputs
from vlkd_seg.utils import MissingFileError
from ..conftest import load_tool


def test_a_folder_without_readable_images_names_what_it_holds(tmp_path):
    (tmp_path / 'a.gif').write_bytes(b'GIF89a')
    (tmp_path / 'b.HEIC').write_bytes(b'')
    with pytest.raises(MissingFileError,
                       match=r'holds no image it reads .*\.HEIC, \.gif files '
                       'are not read'):
        expand_inputs(str(tmp_path))
    (tmp_path / 'c.PNG').write_bytes(b'')
    assert expand_inputs(str(tmp_path)) == [str(tmp_path / 'c.PNG')]


def test_a_checkpoint_among_the_images_is_a_usage_error(capsys):
    infer = load_tool('infer')
    args = infer.parse_args(['cfg.py', 'model.pth', 'a.png'])
    assert (args.checkpoint, args.inputs) == ('model.pth', ['a.png'])
    with pytest.raises(SystemExit):
        infer.parse_args(['cfg.py', 'a.png', 'model.pth'])
    assert 'model.pth looks like a checkpoint among the images' in \
        capsys.readouterr().err
