"""AtomicLocalVisBackend saves the image LocalVisBackend saves."""
import numpy as np
import pytest
from mmengine.visualization import LocalVisBackend
from PIL import Image

from vlkd_seg.engine import AtomicLocalVisBackend


def test_the_saved_image_is_mmengines(tmp_path):
    image = np.random.default_rng(0).integers(
        0, 256, (12, 16, 3), dtype=np.uint8)
    saved = []
    for backend in (LocalVisBackend, AtomicLocalVisBackend):
        vis = backend(str(tmp_path / backend.__name__))
        vis.add_image('sample', image, step=3)
        (path, ) = (tmp_path / backend.__name__).rglob('*.png')
        assert path.name == 'sample_3.png'
        saved.append(np.array(Image.open(path)))
    np.testing.assert_array_equal(saved[1], saved[0])
    np.testing.assert_array_equal(saved[1], image)
    assert not list((tmp_path / 'AtomicLocalVisBackend').rglob('*.tmp'))
    with pytest.raises(TypeError, match='uint8'):
        vis.add_image('sample', image.astype(np.float32))
