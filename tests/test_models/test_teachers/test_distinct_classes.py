import warnings

import pytest
import torch

from vlkd_seg.models.teachers import indistinct_pairs, warn_indistinct_classes


def _text():
    text = torch.eye(4)
    text[3] = 0.95 * text[0] + 0.31 * text[1]  # cos(bar, background) 0.95
    return text


def test_nearly_parallel_texts_are_named_with_their_cosine():
    names = ['background', 'disc', 'ring', 'bar']
    pairs = indistinct_pairs(names, _text())
    assert [(a, b) for a, b, _ in pairs] == [('background', 'bar')]
    assert pairs[0][2] == pytest.approx(0.95, abs=0.01)
    with pytest.warns(
            UserWarning,
            match=r"'background' ~ 'bar' \(cosine "
            r'0\.95\).*background_idx'):
        warn_indistinct_classes(names, _text())


def test_distinct_texts_warn_nothing():
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        warn_indistinct_classes(['a', 'b', 'c', 'd'], torch.eye(4))


def test_a_learned_background_is_not_reported(clip_configs, tmp_path,
                                              monkeypatch):
    from vlkd_seg.models import CLIPTeacher
    from ..test_distillers._helpers import build_distiller, student_cfg
    monkeypatch.setattr(CLIPTeacher, 'encode_text',
                        lambda self, names, **kw: _fake_text(len(names)))
    with pytest.warns(UserWarning, match="'background' ~ 'ring'"):
        build_distiller(clip_configs, tmp_path)
    student = student_cfg()
    student['classifier'] = dict(background_idx=0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        build_distiller(clip_configs, tmp_path, student=student)
    assert not [w for w in caught if 'tell apart' in str(w.message)]


def _fake_text(k, d=32):
    text = torch.eye(k, d)
    text[4] = text[0] + 0.1 * text[4]  # 'ring' ~ 'background'
    return text
