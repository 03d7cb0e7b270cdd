from typing import Optional, Sequence

import torch
import torch.nn.functional as F
from mmengine.model import BaseModule
from mmseg.registry import MODELS
from torch import Tensor, nn

from vlkd_seg.utils.checkpoints import load_checkpoint_safely
from vlkd_seg.utils.errors import ConfigError
from vlkd_seg.utils.vocabulary import check_class_names
from .text_tower import encode_token_embeddings, text_width

#: the placeholder word whose token positions the context vectors take
_PLACEHOLDER = 'X'


@MODELS.register_module()
class LearnedPrompts(BaseModule):
    """Context vectors learned in place of a prompt template (CoOp; the
    stage 1 of FreeSeg and ZSSeg): the text of class ``c`` is CLIP's text
    tower on ``[SOS] v_1 ... v_n c . [EOS]``, the ``v_i`` learned, every
    weight of CLIP frozen.

    As the FreeSeg release: ``n_ctx`` prefix vectors (normal, std 0.02),
    and optionally a task prompt before the start token: the token
    embeddings of a task sentence (``'semantic segmentation.'``) followed
    by ``n_task_ctx`` learned vectors (Kaiming normal, a = 2). Trained by
    ``PromptLearner``; a segmentor then loads them frozen from that run's
    checkpoint (``checkpoint``).

    Args:
        width (int): Width of the CLIP's token embeddings (the owner sets
            it from its CLIP).
        n_ctx (int): Number of context vectors (release: 16).
        task (str, optional): Task sentence before the start token.
        n_task_ctx (int): Learned task vectors after it (release: 8).
        init_std (float): Std of the initial vectors.
        checkpoint (str, optional): A ``PromptLearner`` checkpoint to load
            the vectors from; they are then frozen.
        init_cfg (dict, optional): Unused.
    """

    def __init__(self,
                 width: int,
                 n_ctx: int = 16,
                 task: Optional[str] = None,
                 n_task_ctx: int = 8,
                 init_std: float = 0.02,
                 checkpoint: Optional[str] = None,
                 init_cfg: Optional[dict] = None):
        super().__init__(init_cfg=init_cfg)
        for key, value, low in (('width', width, 1), ('n_ctx', n_ctx, 1),
                                ('n_task_ctx', n_task_ctx, 0)):
            if isinstance(value, bool) or not isinstance(value, int) \
                    or value < low:
                raise ConfigError(f'LearnedPrompts {key} must be an int >= '
                                  f'{low}, got {value!r}')
        if task is not None and not (isinstance(task, str) and task.strip()):
            raise ConfigError('LearnedPrompts task must be a sentence or '
                              f'None, got {task!r}')
        self.task = task
        self.ctx = nn.Parameter(torch.randn(n_ctx, width) * init_std)
        task_ctx = torch.empty(n_task_ctx if task else 0, width)
        if len(task_ctx):  # no task prompt: nothing to learn for it
            nn.init.kaiming_normal_(task_ctx, a=2)
        self.task_ctx = nn.Parameter(task_ctx)
        self.checkpoint = checkpoint
        if checkpoint is not None:
            self._load(checkpoint)
            self.requires_grad_(False)

    def _load(self, path: str) -> None:
        """Copy the vectors of a ``PromptLearner`` checkpoint."""
        state = load_checkpoint_safely(path, map_location='cpu')
        state = state.get('state_dict', state)
        for name, param in self.named_parameters():
            saved = state.get(f'prompts.{name}', state.get(name))
            if saved is None:
                raise ConfigError(
                    f'{path} holds no learned prompts (no prompts.{name}): '
                    'give the checkpoint of a PromptLearner run (FreeSeg '
                    'stage 1)')
            if saved.shape != param.shape:
                raise ConfigError(
                    f'prompts.{name} in {path} is {tuple(saved.shape)}, '
                    f'this model\'s {tuple(param.shape)}: set n_ctx, '
                    'n_task_ctx and task as in that run, with a CLIP of the '
                    'same width')
            param.data.copy_(saved)

    def forward(self, teacher: nn.Module, names: Sequence[str]) -> Tensor:
        """Unit text features of ``names``.

        Args:
            teacher (CLIPTeacher): The frozen CLIP (tokenizer and towers).
            names (Sequence[str]): K class names.

        Returns:
            Tensor: ``(K, D)``, with the gradient to :attr:`ctx`.
        """
        clip = teacher.clip
        if text_width(clip) != self.ctx.shape[1]:
            raise ConfigError(
                f'LearnedPrompts width {self.ctx.shape[1]} does not match '
                f'the CLIP\'s token embeddings ({text_width(clip)})')
        names = check_class_names(names)
        n_ctx = len(self.ctx)
        tokens = teacher.tokenizer([
            ' '.join([_PLACEHOLDER] * n_ctx + [f'{name}.']) for name in names
        ]).to(self.ctx.device)
        if (tokens[:, -1] != 0).any():  # cut short by the tokenizer
            raise ConfigError(
                f'{n_ctx} context vectors and the longest class name do not '
                f'fit CLIP\'s {tokens.shape[1]} tokens: set a smaller '
                'LearnedPrompts n_ctx or shorten the name')
        with torch.no_grad():
            embeds = clip.token_embedding(tokens)
        start, rest = embeds[:, :1], embeds[:, 1 + n_ctx:]
        ctx = self.ctx.to(embeds).expand(len(names), -1, -1)
        embeds = torch.cat([start, ctx, rest], 1)
        if self.task is not None:
            embeds, tokens = self._with_task(teacher, embeds, tokens)
        return F.normalize(
            encode_token_embeddings(clip, embeds, tokens), dim=-1)

    def _with_task(self, teacher, embeds: Tensor, tokens: Tensor):
        """Put the task sentence's word embeddings before the start token
        (the release's order), the prompts shifted right."""
        task = teacher.tokenizer([self.task]).to(tokens.device)[0]
        words = task[1:int(task.argmax())]  # between start and end
        room = int((tokens == 0).sum(1).min())
        if len(words) + len(self.task_ctx) > room:
            raise ConfigError(
                f'LearnedPrompts task {self.task!r} makes a prompt longer '
                f'than CLIP\'s {tokens.shape[1]} tokens: shorten it or the '
                'class names')
        with torch.no_grad():
            task_embeds = teacher.clip.token_embedding(words)
        task_embeds = torch.cat([task_embeds, self.task_ctx.to(embeds)])
        # the learned task vectors take a pad id: pooling reads only EOS
        words = torch.cat([words, words.new_zeros(len(self.task_ctx))])
        k, length = tokens.shape
        embeds = torch.cat([task_embeds.expand(k, -1, -1), embeds],
                           1)[:, :length]
        tokens = torch.cat([words.expand(k, -1), tokens], 1)[:, :length]
        return embeds, tokens

    def extra_repr(self) -> str:
        return (f'n_ctx={len(self.ctx)}, width={self.ctx.shape[1]}, '
                f'task={self.task!r}, n_task_ctx={len(self.task_ctx)}, '
                f'checkpoint={self.checkpoint!r}')


def build_learned_prompts(cfg: dict, teacher: nn.Module) -> LearnedPrompts:
    """A ``LearnedPrompts`` config built for ``teacher`` (a
    ``CLIPTeacher``): its ``width`` is the CLIP's token-embedding width."""
    return MODELS.build(dict(cfg, width=text_width(teacher.clip)))
