"""Output folders the tools write to are made, or refused in one line,
before anything runs."""
import os

import pytest

from vlkd_seg.utils import ConfigError
from vlkd_seg.utils.io import make_output_dir
from ..conftest import DEMO_CONFIG, load_tool


def test_a_missing_folder_is_made_and_a_file_refused(tmp_path):
    made = make_output_dir(str(tmp_path / 'a' / 'b'), '--out')
    assert os.path.isdir(made)
    file = tmp_path / 'results.txt'
    file.write_text('keep me')
    with pytest.raises(ConfigError, match='--out .*results.txt is a file'):
        make_output_dir(str(file), '--out')
    assert file.read_text() == 'keep me'
    with pytest.raises(ConfigError, match='cannot create the folder'):
        make_output_dir(str(file / 'sub'), '--work-dir')


def test_an_unwritable_folder_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(os, 'access', lambda path, mode: False)
    with pytest.raises(ConfigError, match='is not writable'):
        make_output_dir(str(tmp_path), '--out')


@pytest.mark.parametrize('tool, argv', [
    ('pseudo_masks', [DEMO_CONFIG, '--out']),
    ('zegclip_world', ['--work-dir']),
])
def test_tools_refuse_a_file_as_output_folder(tool, argv, tmp_path):
    file = tmp_path / 'taken'
    file.write_text('')
    with pytest.raises(ConfigError, match='taken is a file'):
        load_tool(tool).main(argv + [str(file)])


def test_infer_says_it_in_one_error_line(tmp_path, capsys):
    file = tmp_path / 'taken'
    file.write_text('')
    with pytest.raises(SystemExit) as exit_info:
        load_tool('infer').main([
            DEMO_CONFIG, 'x.png', '--vocabulary', 'a,b', '--out',
            str(file)
        ])
    err = capsys.readouterr().err + str(exit_info.value.code)
    assert 'Traceback' not in err and 'taken is a file' in err
