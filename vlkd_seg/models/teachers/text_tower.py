"""open_clip's text tower run from token embeddings instead of token ids.

Learned prompts (CoOp, and FreeSeg's stage 1) replace some of a prompt's
token embeddings by vectors of their own; the rest of the text tower is
CLIP's, unchanged. :func:`encode_token_embeddings` is
``open_clip.CLIP.encode_text`` from its first layer's output on (guarded
by a parity test: with the token embeddings of a prompt it returns that
prompt's ``encode_text``), and it keeps the gradient to the embeddings.
"""
from open_clip.transformer import text_global_pool
from torch import Tensor, nn

from vlkd_seg.utils.errors import ConfigError


def text_width(clip: nn.Module) -> int:
    """Width of the token embeddings of an open_clip ``CLIP``'s text
    tower (what a learned context vector must have)."""
    embedding = getattr(clip, 'token_embedding', None)
    if not isinstance(embedding, nn.Embedding):
        raise ConfigError(
            'learned prompts need an open_clip CLIP whose text tower is '
            f'its own transformer; {type(clip).__name__} has none (use a '
            'CLIP of open_clip\'s own text architecture)')
    return embedding.embedding_dim


def encode_token_embeddings(clip: nn.Module, embeds: Tensor,
                            tokens: Tensor) -> Tensor:
    """Text features of prompts given as token embeddings.

    Args:
        clip (nn.Module): An open_clip ``CLIP`` (weights may be frozen;
            the gradient still flows to ``embeds``).
        embeds (Tensor): ``(K, L, W)`` token embeddings, L the tower's
            context length, W :func:`text_width`.
        tokens (Tensor): ``(K, L)`` token ids in the same positions (only
            the end-of-text position is read from them, as CLIP pools
            there).

    Returns:
        Tensor: ``(K, D)`` text features (not normalised), as
        ``clip.encode_text(tokens)`` returns them.
    """
    text_width(clip)
    cast_dtype = clip.transformer.get_cast_dtype()
    x = embeds.to(cast_dtype) + clip.positional_embedding.to(cast_dtype)
    x = clip.ln_final(clip.transformer(x, attn_mask=clip.attn_mask))
    x = text_global_pool(
        x,
        tokens,
        clip.text_pool_type,
        eos_token_id=getattr(clip, 'text_eos_id', None))
    if clip.text_projection is None:
        return x
    if isinstance(clip.text_projection, nn.Linear):
        return clip.text_projection(x)
    return x @ clip.text_projection
