import torch
from mmengine.registry import init_default_scope


def tiny_clipseg_config(refined=False, **kwargs):
    """A random CLIPSeg as transformers builds it: ViT of 4 blocks (width
    64, 8 px patches, 32 px images), 2-block text tower, D = 32."""
    from transformers import CLIPSegConfig
    cfg = dict(
        text_config=dict(
            vocab_size=49408,
            hidden_size=32,
            intermediate_size=64,
            num_attention_heads=2,
            num_hidden_layers=2,
            max_position_embeddings=77),
        vision_config=dict(
            hidden_size=64,
            intermediate_size=128,
            num_attention_heads=2,
            num_hidden_layers=4,
            image_size=32,
            patch_size=8),
        projection_dim=32,
        extract_layers=[1, 2, 3],
        reduce_dim=16,
        decoder_num_attention_heads=2,
        decoder_intermediate_size=32,
        use_complex_transposed_convolution=refined)
    cfg.update(kwargs)
    return CLIPSegConfig(**cfg)


def save_tiny_clipseg(folder, refined=False, seed=0):
    """Save a random transformers CLIPSeg to ``folder``; return it."""
    from transformers import CLIPSegForImageSegmentation
    torch.manual_seed(seed)
    model = CLIPSegForImageSegmentation(tiny_clipseg_config(refined)).eval()
    model.save_pretrained(str(folder))
    return model


def build_clipseg(folder, **kwargs):
    from mmseg.registry import MODELS
    init_default_scope('mmseg')
    cfg = dict(
        type='CLIPSeg',
        weights=str(folder),
        class_names=['disc', 'square', 'ring', 'star'])
    cfg.update(kwargs)
    return MODELS.build(cfg)
