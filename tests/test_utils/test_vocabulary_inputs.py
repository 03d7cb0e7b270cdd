"""Vocabularies read one way from the command line and the Python API:
UTF-8 with or without a byte-order mark, another encoding named, blanks
explained, a packaged vocabulary by name, one class refused with the
reason."""
import argparse

import pytest

from vlkd_seg.apis import set_vocabulary
from vlkd_seg.utils import ConfigError, MissingFileError, load_class_names
from vlkd_seg.utils.vocabulary import read_lines
from ..conftest import load_tool


def _infer_vocabulary(text=None, file=None):
    args = argparse.Namespace(vocabulary=text, vocabulary_file=file)
    return load_tool('infer').vocabulary(args)


def test_a_byte_order_mark_is_not_part_of_the_first_class(tmp_path):
    path = tmp_path / 'names.txt'
    path.write_bytes('background\ncat\n'.encode('utf-8-sig'))
    assert load_class_names(str(path)) == ['background', 'cat']
    assert read_lines(str(path)) == ['background', 'cat']


def test_another_encoding_is_named(tmp_path):
    path = tmp_path / 'names.txt'
    path.write_bytes('background\ncat\n'.encode('utf-16'))
    with pytest.raises(ConfigError, match='is not UTF-8 text.*save it as'):
        load_class_names(str(path))


@pytest.mark.parametrize('spec, error, message', [
    ('cat,dog,background,', ConfigError, r'\[4\] \(counted from 1\) of 4 '
     'are blank: a trailing or doubled comma'),
    ('cat,,dog', ConfigError, r'\[2\].*doubled comma'),
    ('cat', MissingFileError, 'one class alone cannot be segmented'),
    ('nowhere/names.txt', MissingFileError, 'no such file'),
])
def test_mistakes_name_their_fix(spec, error, message):
    with pytest.raises(error, match=message):
        load_class_names(spec)


def test_a_file_line_is_one_class_commas_and_all(tmp_path):
    """CLIP-ES's vocabularies list synonyms on one line; the command line
    separates classes by commas."""
    path = tmp_path / 'names.txt'
    path.write_text('person with clothes,people,human\nsofa\n')
    assert load_class_names(
        str(path)) == ['person with clothes,people,human', 'sofa']
    assert load_class_names('person,sofa') == ['person', 'sofa']


def test_the_command_line_reads_as_the_api(tmp_path):
    path = tmp_path / 'names.txt'
    path.write_text('sofa\nwindow\n')
    for spec in ('voc20', 'cat, sofa ,background', str(path)):
        assert _infer_vocabulary(spec) == load_class_names(spec)
    assert _infer_vocabulary(file='voc20') == load_class_names('voc20')
    assert len(load_class_names('voc20')) == 20


def test_one_class_is_refused_with_the_reason():
    with pytest.raises(ConfigError, match='one class: every pixel'):
        set_vocabulary(None, ['cat'])
