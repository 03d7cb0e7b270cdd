"""unify_label_spaces: the union of datasets' classes, exactly the given
synonyms merged."""
import pytest

from vlkd_seg.datasets import unify_label_spaces
from vlkd_seg.utils.errors import ConfigError

SPACES = dict(
    a=['background', 'disc', 'square', 'ring'],
    b=['background', 'disc', 'hoop', 'star'])


def test_equal_names_and_the_synonyms_given_merge_nothing_else():
    spaces = unify_label_spaces(SPACES, [['ring', 'hoop']])
    assert spaces.classes == ['background', 'disc', 'square', 'ring', 'star']
    assert spaces.maps == dict(a=[0, 1, 2, 3], b=[0, 1, 3, 4])
    assert spaces.table[3] == dict(
        name='ring', sources=dict(a='ring', b='hoop'))
    assert spaces.table[2] == dict(name='square', sources=dict(a='square'))
    lines = spaces.table_lines()
    assert len(lines) == 5 and 'a: ring, b: hoop' in lines[3]


def test_without_synonyms_different_names_stay_apart():
    spaces = unify_label_spaces(SPACES)
    assert len(spaces.classes) == 6
    assert spaces.maps['b'][2] == spaces.classes.index('hoop')


def test_given_classes_set_the_order_and_may_add_classes():
    given = ['star', 'ring', 'disc', 'square', 'background', 'bar']
    spaces = unify_label_spaces(SPACES, [['ring', 'hoop']], given)
    assert spaces.classes == given
    assert spaces.maps == dict(a=[4, 2, 3, 1], b=[4, 2, 1, 0])
    assert spaces.table[5] == dict(name='bar', sources={})


def test_a_synonym_of_a_given_class_only_is_known():
    spaces = unify_label_spaces(
        dict(b=SPACES['b']), [['ring', 'hoop']],
        ['background', 'disc', 'ring', 'star'])
    assert spaces.maps == dict(b=[0, 1, 2, 3])


@pytest.mark.parametrize('synonyms, classes, match', [
    ([['ring', 'hoops']], None, "synonym 'hoops' is a class of no dataset"),
    ([['ring', 'hoop'], ['hoop', 'star']], None, 'in two synonym groups'),
    ([['disc', 'square']], None, "dataset 'a' has both 'disc' and 'square'"),
    (['ring'], None, 'must list two or more names'),
    ('ring,hoop', None, 'groups of names'),
    ([['ring', 'hoop']], ['background', 'disc', 'square', 'ring'
                          ], r"lack \['star'\]"),
    ([['ring', 'hoop']], ['background', 'disc', 'square', 'hoop', 'star'
                          ], r"use \['ring'\]"),
    ([], ['disc', 'disc'], 'repeat a name'),
])
def test_merges_that_cannot_be_meant_are_refused(synonyms, classes, match):
    with pytest.raises(ConfigError, match=match):
        unify_label_spaces(SPACES, synonyms, classes)
