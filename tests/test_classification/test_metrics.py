import pytest
import torch
import torch.nn.functional as F

from vlkd_seg.classification import (neighbour_overlap, relative_match_rate,
                                     text_order_reversals,
                                     vl_alignment_reversals)
from ..conftest import write_class_split


def _feats(*shape, seed=0):
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed))


def test_identical_spaces_are_perfectly_aligned():
    x, text = _feats(50, 16), _feats(10, 16, seed=1)
    assert relative_match_rate(x, 3 * x) == 1.0
    assert neighbour_overlap(x, x, k=5) == 1.0
    assert vl_alignment_reversals(x, x, text, k=5) == 0.0


def test_reversed_text_distances_give_all_pairs_inverted():
    # teacher sits on the texts' side of the sphere, student on the other:
    # the student's distance order over the texts is exactly reversed
    text = F.normalize(
        torch.tensor([[1., 0.], [0.6, 0.8], [0., 1.], [-0.6, 0.8]]), dim=1)
    teacher = torch.tensor([[1., 0.1]])
    student = -teacher
    for k in (2, 3, 4):
        assert vl_alignment_reversals(student, teacher, text, k) == \
            k * (k - 1) / 2


def test_hand_made_neighbourhoods():
    # 4 points on a line; the student swaps items 2 and 3
    teacher = torch.tensor([[1., 0.], [0.9, 0.1], [0., 1.], [-1., 0.5]])
    student = teacher[[0, 1, 3, 2]]
    assert relative_match_rate(student, teacher) == 0.5

    # 1-NN in T: 0->1, 1->0, 2->1?, computed directly below
    def nn1(x):
        x = F.normalize(x, dim=1)
        sims = x @ x.T - 10 * torch.eye(4)
        return sims.argmax(1)

    expected = (nn1(student) == nn1(teacher)).float().mean().item()
    assert neighbour_overlap(student, teacher, k=1) == pytest.approx(expected)


def test_chunked_equals_unchunked_on_10k_items():
    s, t, text = _feats(10000, 8), _feats(
        10000, 8, seed=1), _feats(
            20, 8, seed=2)
    t = s + 0.8 * t  # related but not equal spaces
    assert relative_match_rate(
        s, t, chunk=999) == relative_match_rate(
            s, t, chunk=10000)
    assert neighbour_overlap(
        s, t, 5,
        chunk=999) == pytest.approx(neighbour_overlap(s, t, 5, chunk=10000))
    assert vl_alignment_reversals(s, t, text, 3, chunk=999) == \
        pytest.approx(vl_alignment_reversals(s, t, text, 3, chunk=10000))


@pytest.mark.parametrize('call, match', [
    (lambda: relative_match_rate(_feats(5, 4), _feats(5, 3)), 'same B'),
    (lambda: neighbour_overlap(_feats(5, 4), _feats(5, 4), k=5),
     r'k=5 must be in \[1, 4\]'),
    (lambda: vl_alignment_reversals(
        _feats(5, 4), _feats(5, 4), _feats(3, 4), k=4), 'number of texts'),
])
def test_bad_inputs_are_clear_errors(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_registered_metric_reports_alignment_and_id_ood_accuracy(tmp_path):
    from mmengine.registry import METRICS
    text = F.normalize(_feats(6, 16, seed=3), dim=1)
    labels = torch.arange(60) % 6
    # student features sit on their class text: perfect zero-shot accuracy
    student = text[labels] + 0.01 * _feats(60, 16, seed=4)
    teacher = student.clone()
    split = write_class_split(tmp_path, ['id'] * 3 + ['ood'] * 3)
    metric = METRICS.build(dict(type='VLDistillMetric', class_split=split))

    def process(student):
        metric.results.clear()
        metric.process({}, [
            dict(
                student_feat=s,
                teacher_feat=t,
                text_sim=F.normalize(s, dim=0) @ text.T,
                teacher_text_sim=F.normalize(t, dim=0) @ text.T,
                gt_label=torch.tensor([y]))
            for s, t, y in zip(student, teacher, labels)
        ])
        return metric.compute_metrics(metric.results)

    results = process(student)
    for part in ('id', 'ood'):
        assert results[f'{part}_M_rel'] == 1.0
        assert results[f'{part}_M_neigh@3'] == 1.0
        assert results[f'{part}_M_vlalign@2'] == 0.0
        assert results[f'{part}_acc'] == 100.0
    # M_vlalign ranks each set's own 3 texts: k = 5 does not fit
    assert 'ood_M_vlalign@5' not in results and 'M_rel' not in results
    # a student that maps everything onto class 0 gets 1/3 on ID, and on
    # OOD whatever class 0's text is nearest to among the OOD texts
    results = process(text[0].expand(60, -1))
    assert results['id_acc'] == pytest.approx(100 / 3)
    assert results['ood_acc'] == pytest.approx(100 / 3)
    assert results['id_M_rel'] < 0.1 and results['ood_M_rel'] < 0.1
    # the teacher still sits on the texts
    assert results['teacher_ood_acc'] == 100.0


def test_metric_without_teacher_features_says_which_hook_to_add(tmp_path):
    from mmengine.registry import METRICS
    split = write_class_split(tmp_path, ['id', 'ood'])
    metric = METRICS.build(dict(type='VLDistillMetric', class_split=split))
    with pytest.raises(RuntimeError, match='TeacherFeatureHook'):
        metric.process({}, [dict(student_feat=torch.ones(4), gt_label=0)])


def test_reversals_from_similarities_match_the_feature_version():
    student, teacher = _feats(300, 16, seed=5), _feats(300, 16, seed=6)
    text = _feats(12, 16, seed=7)
    s, t, txt = (F.normalize(x, dim=1) for x in (student, teacher, text))
    for k in (2, 5, 12):
        assert text_order_reversals(s @ txt.T, t @ txt.T, k, chunk=64) == \
            pytest.approx(vl_alignment_reversals(student, teacher, text, k))


def test_metric_leaves_out_k_larger_than_the_set_allows(tmp_path):
    from mmengine.registry import METRICS
    split = write_class_split(tmp_path, ['id', 'ood', 'ood'])
    metric = METRICS.build(
        dict(
            type='VLDistillMetric',
            class_split=split,
            neigh_ks=(1, 5),
            vlalign_ks=(2, 4)))
    feats, text = _feats(4, 8, seed=8), _feats(3, 8, seed=9)
    metric.process({}, [
        dict(
            student_feat=f,
            teacher_feat=f,
            text_sim=f @ text.T,
            teacher_text_sim=f @ text.T,
            gt_label=i % 3) for i, f in enumerate(feats)
    ])
    results = metric.compute_metrics(metric.results)
    # the OOD set: samples 1, 2 (classes 1, 2) and its own 2 texts; the ID
    # set: samples 0, 3 and 1 text
    assert results['ood_M_neigh@1'] == 1.0 and results['id_M_neigh@1'] == 1.0
    assert results['ood_M_vlalign@2'] == 0.0 and results['ood_M_rel'] == 1.0
    assert 'ood_M_neigh@5' not in results and 'ood_M_vlalign@4' not in results
    assert 'id_M_vlalign@2' not in results


def test_vl_alignment_is_ranked_over_each_sets_own_texts(tmp_path):
    from mmengine.registry import METRICS
    split = write_class_split(tmp_path, ['id', 'id', 'ood', 'ood'])
    metric = METRICS.build(
        dict(
            type='VLDistillMetric',
            class_split=split,
            neigh_ks=(1, ),
            vlalign_ks=(2, ),
            set_names=dict(id='train')))
    # OOD samples: the teacher is nearest the two ID texts, in an order the
    # student reverses; over the OOD texts both agree
    teacher_sims = torch.tensor([0.9, 0.8, 0.5, 0.4])
    student_sims = torch.tensor([0.1, 0.2, 0.5, 0.4])
    metric.process({}, [
        dict(
            student_feat=_feats(8, seed=i),
            teacher_feat=_feats(8, seed=i),
            text_sim=student_sims,
            teacher_text_sim=teacher_sims,
            gt_label=label) for i, label in enumerate([0, 1, 2, 3, 2, 3])
    ])
    results = metric.compute_metrics(metric.results)
    assert results['ood_M_vlalign@2'] == 0.0
    # over all four texts the same samples have one inverted pair each
    assert text_order_reversals(student_sims[None], teacher_sims[None],
                                2) == 1.0
    # the ID samples, named as the training set: the student prefers the
    # other ID text, the teacher the first
    assert results['train_M_vlalign@2'] == 1.0
    assert 'id_M_rel' not in results and results['train_M_rel'] == 1.0
