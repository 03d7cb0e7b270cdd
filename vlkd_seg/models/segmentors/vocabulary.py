from typing import List, Optional, Sequence, Union

import torch
import torch.nn.functional as F
from mmseg.registry import MODELS
from torch import Tensor, nn

from vlkd_seg.utils.errors import ConfigError
from vlkd_seg.utils.vocabulary import check_class_names, load_class_names
from ..teachers import warn_indistinct_classes
from .zegclip_split import check_seen_split


class Vocabulary(nn.Module):
    """The classes a segmentor names and their text embeddings.

    The one place a model keeps its class texts: a segmentor passes
    :attr:`text` to its classifier (and to its teacher's pseudo-labels) as
    an argument; nothing else holds a copy or a class count. The texts come
    from the names and the teacher's text tower, so they are a
    non-persistent buffer: checkpoints do not carry them and a model
    answers to the vocabulary it is given, whatever it was trained with.

    Args:
        embed_dim (int): Dimension D of the text embeddings.
        normalize (bool): Keep unit texts (cosine classifiers); False keeps
            them as encoded (CLIPSeg conditions on the raw embedding).
    """

    def __init__(self, embed_dim: int, normalize: bool = True):
        super().__init__()
        self.embed_dim = embed_dim
        self.normalize = normalize
        self.names: List[str] = []
        self.register_buffer(
            'text', torch.zeros(0, embed_dim), persistent=False)

    def set(self, names: Sequence[str], text: Tensor) -> None:
        """Name ``names`` from now on.

        Args:
            names (Sequence[str]): K class names.
            text (Tensor): ``(K, D)`` their text embeddings (normalised
                here unless ``normalize`` is off), e.g.
                ``CLIPTeacher.encode_text(names)``.
        """
        names = check_class_names(names)
        if text.dim() != 2 or text.shape != (len(names), self.embed_dim):
            raise ConfigError(
                f'text embeddings of shape {tuple(text.shape)} for '
                f'{len(names)} classes of dimension {self.embed_dim}: build '
                'them with the teacher of this model')
        self.names = names
        text = text.detach().to(self.text)
        self.text = F.normalize(text, dim=-1) if self.normalize else text

    def name(self,
             class_names: Union[str, Sequence[str]],
             encoder: nn.Module,
             descriptions: Optional[Union[str, Sequence[str]]] = None,
             learned: Optional[int] = None,
             prompts: Optional[nn.Module] = None) -> None:
        """Name ``class_names`` with ``encoder``'s texts, warning about
        classes it can hardly tell apart.

        Args:
            class_names (str | Sequence[str]): Names, a file with one per
                line, or a packaged vocabulary.
            encoder (nn.Module): A ``CLIPTeacher`` (its ``encode_text``).
            descriptions (str | Sequence[str], optional): One sentence per
                class appended to its prompts, or a file of them.
            learned (int, optional): A class whose embedding the model
                learns (left out of the warning).
            prompts (LearnedPrompts, optional): Learned context vectors
                instead of ``encoder``'s templates.
        """
        names = load_class_names(class_names)
        if prompts is None:
            text = encoder.encode_text(names, descriptions=descriptions)
        elif descriptions is not None:
            raise ConfigError(
                'descriptions go into template prompts; a model with learned'
                ' prompts names its classes by the name alone: drop them')
        else:
            with torch.no_grad():
                text = prompts(encoder, names)
        keep = [i for i in range(len(text)) if i != learned]
        warn_indistinct_classes([names[i] for i in keep], text[keep])
        self.set(names, text)

    def clear(self) -> None:
        """No classes (a model copy that borrows its owner's texts)."""
        self.names = []
        self.text = self.text.new_zeros(0, self.embed_dim)

    def __len__(self) -> int:
        return len(self.names)

    def extra_repr(self) -> str:
        return f'{len(self)} classes, embed_dim={self.embed_dim}'


class VocabularyOwner:
    """What a segmentor that keeps its classes in ``self.vocabulary``
    says of them (mixed into ``TextEncoderDecoder``, ``MaskCLIPSegmentor``,
    ``ZegCLIP`` and ``CLIPSeg``)."""

    @property
    def class_names(self) -> List[str]:
        """The vocabulary's class names, in label order."""
        return self.vocabulary.names

    @property
    def text(self) -> Tensor:
        """``(K, D)`` the vocabulary's text embeddings."""
        return self.vocabulary.text

    @property
    def num_classes(self) -> int:
        """Number of classes: the vocabulary's."""
        return len(self.vocabulary)

    @property
    def out_channels(self) -> int:
        return len(self.vocabulary)

    def _init_decode_head(self, decode_head: dict) -> None:
        """Build an ``EncoderDecoder``'s head; the class count stays the
        vocabulary's (mmseg's would take the head's)."""
        self.decode_head = MODELS.build(decode_head)
        self.align_corners = self.decode_head.align_corners

    def set_vocabulary(
            self,
            class_names: Union[str, Sequence[str]],
            descriptions: Optional[Union[str, Sequence[str]]] = None) -> None:
        """Segment ``class_names`` from now on (no retraining involved),
        named by ``self.text_encoder`` (a ``CLIPTeacher``); owners whose
        texts come from elsewhere override it."""
        self.vocabulary.name(class_names, self.text_encoder, descriptions)

    def _keep_split(self, unseen_idx: Sequence[int]) -> None:
        """Record the classes of the vocabulary never trained on
        (``unseen_idx``, checked against it) and the names of the others
        (``trained_names``)."""
        self.unseen_idx = check_seen_split(unseen_idx, self.num_classes)
        self.trained_names = [
            n for i, n in enumerate(self.class_names)
            if i not in self.unseen_idx
        ]

    def seen_mask(self) -> Tensor:
        """``(K,)`` bool: which classes of the vocabulary the model was
        trained on (by name: its ``trained_names``)."""
        trained = set(self.trained_names)
        return torch.tensor([n in trained for n in self.class_names],
                            device=self.vocabulary.text.device)
