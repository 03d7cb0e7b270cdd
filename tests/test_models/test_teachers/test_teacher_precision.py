import pytest
import torch

from vlkd_seg.models import CLIPTeacher


def _outputs(config, precision):
    """Dense features, image and text embeddings of a seeded teacher."""
    torch.manual_seed(0)
    # no text cache: it is keyed by the weights, not by the precision
    teacher = CLIPTeacher(
        config, precision=precision, templates='single', text_cache_dir='')
    g = torch.Generator().manual_seed(1)
    size = teacher.clip.visual.image_size
    size = size[0] if isinstance(size, tuple) else size
    return teacher, dict(
        dense=teacher.dense_features(torch.randn(2, 3, 64, 64, generator=g)),
        image=teacher.encode_image(torch.randn(2, 3, size, size, generator=g)),
        text=teacher.encode_text(['disc', 'ring', 'square']))


@pytest.mark.parametrize('precision', ['bf16', 'fp16'])
@pytest.mark.parametrize('kind', ['vit', 'rn'])
def test_autocast_precision_returns_fp32_embeddings_close_to_fp32(
        clip_configs, kind, precision):
    _, full = _outputs(clip_configs[kind], 'fp32')
    teacher, low = _outputs(clip_configs[kind], precision)
    assert teacher.dtype == torch.float32  # the weights stay fp32
    for name, value in low.items():
        # cast back to the weights' dtype, as `dtype` promises
        assert value.dtype == torch.float32, name
        assert not torch.equal(value, full[name]), name  # autocast ran
        dim = 1 if name == 'dense' else -1
        cosine = (value * full[name]).sum(dim)
        assert cosine.min() > 0.99, (name, cosine.min())
