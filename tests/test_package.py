import pytest
from mmengine.registry import DefaultScope, init_default_scope


def test_import_registers_components_in_mmseg_scope():
    from mmseg.registry import DATASETS, HOOKS

    import vlkd_seg
    init_default_scope('mmseg')
    assert DATASETS.get('SyntheticWorldDataset') is \
        vlkd_seg.datasets.SyntheticWorldDataset
    assert HOOKS.get('RankConsistencyHook') is \
        vlkd_seg.engine.RankConsistencyHook
    assert DefaultScope.get_current_instance().scope_name == 'mmseg'


def test_version_gate_names_the_package_and_the_fix(monkeypatch):
    import mmcv

    import vlkd_seg
    monkeypatch.setattr(mmcv, '__version__', '2.2.0')
    with pytest.raises(ImportError, match=r'mmcv < 2\.2\.0.*make setup'):
        vlkd_seg._check_versions()


def test_mmcv_has_compiled_ops():
    import torch
    from mmcv.ops import nms
    boxes = torch.tensor([[0., 0., 10., 10.], [1., 1., 10., 10.],
                          [20., 20., 30., 30.]])
    scores = torch.tensor([0.9, 0.8, 0.7])
    _, keep = nms(boxes, scores, iou_threshold=0.5)
    assert keep.tolist() == [0, 2]
